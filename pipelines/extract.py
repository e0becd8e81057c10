"""Extract stage: raw page bytes -> clean article text and metadata (rasd.text.extract).

The publication date prefers the feed's (it has a time of day) over the one trafilatura finds
in the page.
"""
from __future__ import annotations

from scrapy.exceptions import DropItem

from crawler.items import ArticleItem
from crawler.workers import in_pool
from rasd.text.extract import drop_leading_title, extract_page
from rasd.text.workers import Workers


class ExtractPipeline:
    """Fills title, text, published_at, author, site_name and encoding from `body`."""

    def __init__(self, min_chars: int, stats, workers: int = 1):
        self.min_chars = min_chars
        self.stats = stats
        self.worker_setting = workers
        self.workers: Workers | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getint("RASD_MIN_TEXT_CHARS"), crawler.stats,
                   crawler.settings.getint("RASD_WORKERS"))

    def open_spider(self, spider=None) -> None:
        self.workers = Workers(self.worker_setting)   # RASD_WORKERS processes extract pages

    def close_spider(self, spider=None) -> None:
        self.workers.close()

    async def process_item(self, item: ArticleItem, spider=None) -> ArticleItem:
        if item.get("text"):  # pre-extracted (a .txt replay)
            return item
        page = await in_pool(self.workers, extract_page, item["body"],
                             (item.get("headers") or {}).get("content-type"), item["url"])
        if len(page.text) < self.min_chars:
            self.stats.inc_value("rasd/dropped/no_text")
            raise DropItem(f"no article text ({len(page.text)} chars) at {item['url']}")
        title = (page.title or item.get("feed_title") or "").strip()
        item["encoding"] = page.encoding
        item["title"] = title
        item["text"] = drop_leading_title(page.text, title)
        item["published_at"] = item.get("feed_published") or page.published_at
        item["author"] = page.author
        item["site_name"] = page.site_name
        return item
