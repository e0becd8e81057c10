"""Extract stage: raw page bytes -> headline, clean article text and publication date.

The reading itself is rasd/text/article_page.py (trafilatura for the body; the outlet's name cut
from the headline; article-level dates first, with the precision the page gives); this stage
adds the outlet's registry rules, the crawl's clock (RASD_NOW) and the feed's title and date,
and drops what is not an article with the reason.
"""
from __future__ import annotations

from scrapy.exceptions import DropItem

from crawler.items import ArticleItem
from crawler.listings.window import reference_now
from crawler.registry.extraction_options import rules_by_slug
from rasd.text.article_page import Reading, read_page
from rasd.text.encoding import decode_html
from rasd.text.page_rules import ExtractionRules


def extract_page(body: bytes, content_type: str | None, url: str,
                 rules: ExtractionRules = ExtractionRules(),
                 **context) -> tuple[Reading | None, str]:
    """The page as rasd reads it (None when nothing extracts), and its encoding.

    The one extraction rasd does: the pipeline stores it, `sources check --online` judges it.
    """
    html, encoding = decode_html(body, content_type)
    return read_page(html, url, rules, **context), encoding


class ExtractPipeline:
    """Fills title, text, published_date, published_at, author, site_name and encoding."""

    def __init__(self, min_chars: int, stats, rules: dict[str, ExtractionRules], now):
        self.min_chars = min_chars
        self.stats = stats
        self.rules = rules
        self.now = now

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        return cls(settings.getint("RASD_MIN_TEXT_CHARS"), crawler.stats,
                   rules_by_slug(settings.get("RASD_SOURCES")),
                   reference_now(settings.get("RASD_NOW")))

    def process_item(self, item: ArticleItem, spider=None) -> ArticleItem:
        if item.get("text"):  # pre-extracted (a .txt replay)
            return item
        reading, encoding = extract_page(
            item["body"], (item.get("headers") or {}).get("content-type"), item["url"],
            self.rules.get(item.get("source"), ExtractionRules()),
            feed_title=item.get("feed_title"), feed_date=item.get("feed_published"), now=self.now)
        text = reading.text.strip() if reading else ""
        if len(text) < self.min_chars:
            self.stats.inc_value("rasd/dropped/no_text")
            raise DropItem(f"no article text ({len(text)} chars) at {item['url']}")
        if reading.not_article:
            self.stats.inc_value("rasd/dropped/not_article")
            raise DropItem(f"not an article ({reading.not_article}) at {item['url']}")
        item["encoding"] = encoding
        item["title"] = reading.title
        item["text"] = text
        item["published_date"] = reading.published.date
        item["published_at"] = reading.published.at
        item["author"] = reading.author
        item["site_name"] = reading.site_name
        return item
