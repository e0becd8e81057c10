"""Extract stage: raw page bytes -> clean article text and metadata (rasd.text.extract).

The publication date prefers the feed's (it has a time of day) over the one trafilatura finds
in the page. Title and text are untrusted: bidi and control characters are removed and the
title's length is capped (rasd.text.untrusted), for pages and pre-extracted replays alike.
"""
from __future__ import annotations

from scrapy.exceptions import DropItem

from crawler.items import ArticleItem
from rasd.text.extract import drop_leading_title, extract_page
from rasd.text.untrusted import clean_title, strip_controls


class ExtractPipeline:
    """Fills title, text, published_at, author, site_name and encoding from `body`."""

    def __init__(self, min_chars: int, stats):
        self.min_chars = min_chars
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getint("RASD_MIN_TEXT_CHARS"), crawler.stats)

    def process_item(self, item: ArticleItem, spider=None) -> ArticleItem:
        if item.get("text"):  # pre-extracted (a .txt replay)
            item["title"] = clean_title(item.get("title"))
            item["text"] = strip_controls(item["text"])
            return item
        page = extract_page(item["body"], (item.get("headers") or {}).get("content-type"),
                            item["url"])
        if len(page.text) < self.min_chars:
            self.stats.inc_value("rasd/dropped/no_text")
            raise DropItem(f"no article text ({len(page.text)} chars; RASD_MIN_TEXT_CHARS is "
                           f"{self.min_chars})")
        title = (page.title or item.get("feed_title") or "").strip()
        item["encoding"] = page.encoding
        item["title"] = clean_title(title)
        item["text"] = strip_controls(drop_leading_title(page.text, title))
        item["published_at"] = item.get("feed_published") or page.published_at
        item["author"] = page.author
        item["site_name"] = page.site_name
        return item
