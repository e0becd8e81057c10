"""Language stage: keep only articles in the configured languages (Arabic by default)."""
from __future__ import annotations

from scrapy.exceptions import DropItem

from crawler.items import ArticleItem
from rasd.text.language import detect_language


class LanguagePipeline:
    """Sets `lang`, and drops articles whose language is not in RASD_LANGUAGES."""

    def __init__(self, languages: list[str], stats):
        self.languages = set(languages)
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getlist("RASD_LANGUAGES"), crawler.stats)

    def process_item(self, item: ArticleItem, spider=None) -> ArticleItem:
        # A source's `language` in the registry is trusted over detection.
        item["lang"] = item.get("source_language") or detect_language(
            f"{item.get('title') or ''}\n{item['text']}")
        if item["lang"] not in self.languages:
            self.stats.inc_value(f"rasd/dropped/lang_{item['lang']}")
            raise DropItem(f"language {item['lang']} is not one of RASD_LANGUAGES "
                           f"({', '.join(sorted(self.languages))})")
        return item
