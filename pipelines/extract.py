"""Extract stage: raw page bytes -> headline, clean article text and publication date.

The reading itself is rasd/text/extract.py (trafilatura for the body; the outlet's name cut
from the headline; article-level dates first, with the precision the page gives); this stage
adds the outlet's registry rules, the crawl's clock (RASD_NOW when set) and the feed's title
and date, and drops what is not an article with the reason.
Title and text are untrusted: bidi and control characters are removed and the title's
length is capped (rasd.text.untrusted), for pages and pre-extracted replays alike.
"""
from __future__ import annotations

from datetime import datetime
from functools import partial

from scrapy.exceptions import DropItem

from crawler.items import ArticleItem
from crawler.registry.extraction_options import rules_by_slug
from crawler.workers import in_pool
from rasd import clock
from rasd.clock import parse_moment
from rasd.text.extract import extract_page
from rasd.text.page_rules import ExtractionRules
from rasd.text.untrusted import clean_title, strip_controls
from rasd.text.workers import Workers


class ExtractPipeline:
    """Fills title, text, published_date, published_at, author, site_name and encoding."""

    def __init__(self, min_chars: int, stats, rules: dict[str, ExtractionRules],
                 now: datetime | None = None, workers: int = 1):
        self.min_chars = min_chars
        self.stats = stats
        self.rules = rules
        self.now = now   # None: the clock's time when each page is read
        self.worker_setting = workers
        self.workers: Workers | None = None

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        fixed_now = settings.get("RASD_NOW")
        return cls(settings.getint("RASD_MIN_TEXT_CHARS"), crawler.stats,
                   rules_by_slug(settings.get("RASD_SOURCES")),
                   parse_moment(fixed_now) if fixed_now else None,
                   settings.getint("RASD_WORKERS"))

    def open_spider(self, spider=None) -> None:
        self.workers = Workers(self.worker_setting)   # RASD_WORKERS processes extract pages

    def close_spider(self, spider=None) -> None:
        self.workers.close()

    async def process_item(self, item: ArticleItem, spider=None) -> ArticleItem:
        if item.get("text"):  # pre-extracted (a .txt replay)
            item["title"] = clean_title(item.get("title"))
            item["text"] = strip_controls(item["text"])
            return item
        read = partial(extract_page, rules=self.rules.get(item.get("source"), ExtractionRules()),
                       feed_title=item.get("feed_title"), feed_date=item.get("feed_published"),
                       now=self.now or clock.now())   # the crawl's clock, not the worker's
        page = await in_pool(self.workers, read, item["body"],
                             (item.get("headers") or {}).get("content-type"), item["url"])
        if len(page.text) < self.min_chars:
            self.stats.inc_value("rasd/dropped/no_text")
            raise DropItem(f"no article text ({len(page.text)} chars; RASD_MIN_TEXT_CHARS is "
                           f"{self.min_chars})")
        reading = page.reading
        if reading.not_article:
            self.stats.inc_value("rasd/dropped/not_article")
            raise DropItem(f"not an article ({reading.not_article})")
        item["encoding"] = page.encoding
        item["title"] = clean_title(reading.title)
        item["text"] = strip_controls(page.text)
        item["published_date"] = reading.published.date
        item["published_at"] = reading.published.at
        item["author"] = reading.author
        item["site_name"] = reading.site_name
        return item
