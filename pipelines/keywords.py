"""Keywords stage: match the watchlist against title and text, record the hits on the item.

Articles that match nothing go on to storage too: they are kept so that they are not fetched
again and so that a new watchlist term can be re-applied to them later.

When the crawl opens, articles an earlier crawl stored without their matches (an older rasd
that crashed or filled its disk half-way through a batch) are matched first
(`rasd.store.rematch.repair_unmatched`): their URLs count as seen, so nothing else would.
"""
from __future__ import annotations

import logging

from crawler.items import ArticleItem
from rasd.store.database import open_store
from rasd.store.rematch import repair_unmatched
from rasd.text.watchlist import Watchlist
from rasd.text.watchlist_layers import load_effective_watchlist

log = logging.getLogger(__name__)


class KeywordsPipeline:
    """Sets `matches` to the watchlist terms found in the article."""

    def __init__(self, watchlist: Watchlist, db_path: str | None = None, stats=None):
        self.watchlist = watchlist
        self.db_path = db_path
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(load_effective_watchlist(crawler.settings.get("RASD_WATCHLIST")).watchlist,
                   crawler.settings.get("RASD_DB"), crawler.stats)

    def open_spider(self, spider=None) -> None:
        report = repair_unmatched(open_store(self.db_path), self.watchlist)
        if report.articles:
            self.stats.set_value("rasd/repaired", report.articles)
            log.info("matched %d article(s) an earlier crawl stored without their matches "
                     "(%d match rows added)", report.articles, report.added)

    def process_item(self, item: ArticleItem, spider=None) -> ArticleItem:
        # counted per topic (rasd/matches/<topic>) by the store stage, once committed
        item["matches"] = self.watchlist.match_article(item.get("title"), item["text"])
        return item
