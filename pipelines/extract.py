"""Extract stage: raw page bytes -> clean article text and metadata, with trafilatura.

Reader comments, navigation and related-article boxes are left out; the publication date
prefers the feed's (it has a time of day) over the one trafilatura finds in the page.
"""
from __future__ import annotations

import trafilatura
from scrapy.exceptions import DropItem

from rasd.clock import to_utc_iso
from crawler.items import ArticleItem
from rasd.text.encoding import decode_html

# Ask htmldate for the original publication time, not only the day.
_DATE_PARAMS = {"original_date": True, "extensive_search": True,
                "outputformat": "%Y-%m-%dT%H:%M:%S%z"}


def extract_page(body: bytes, content_type: str | None, url: str):
    """trafilatura's Document for a raw page (None when nothing extracts), and its encoding.

    The one extraction rasd does: the pipeline stores it, `sources check --online` judges it.
    """
    html, encoding = decode_html(body, content_type)
    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=True,
        favor_precision=True, deduplicate=False, date_extraction_params=_DATE_PARAMS)
    return doc, encoding


def drop_leading_title(text: str, title: str) -> str:
    """trafilatura keeps the page's <h1> as the first line; the title is stored apart."""
    first, _, rest = text.partition("\n")
    return rest.lstrip() if title and first.strip() == title.strip() else text


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
            return item
        doc, encoding = extract_page(item["body"],
                                     (item.get("headers") or {}).get("content-type"), item["url"])
        text = (doc.text or "").strip() if doc else ""
        if len(text) < self.min_chars:
            self.stats.inc_value("rasd/dropped/no_text")
            raise DropItem(f"no article text ({len(text)} chars) at {item['url']}")
        title = (doc.title or item.get("feed_title") or "").strip()
        item["encoding"] = encoding
        item["title"] = title
        item["text"] = drop_leading_title(text, title)
        item["published_at"] = item.get("feed_published") or to_utc_iso(doc.date)
        item["author"] = doc.author
        item["site_name"] = doc.sitename
        return item
