"""Keywords stage: match the watchlist against title and text, record the hits on the item.

Articles that match nothing go on to storage too: they are kept so that they are not fetched
again and so that a new watchlist term can be re-applied to them later.
"""
from __future__ import annotations

from crawler.items import ArticleItem
from rasd.text.watchlist import Watchlist, load_watchlist


class KeywordsPipeline:
    """Sets `matches` to the watchlist terms found in the article."""

    def __init__(self, watchlist: Watchlist):
        self.watchlist = watchlist

    @classmethod
    def from_crawler(cls, crawler):
        return cls(load_watchlist(crawler.settings.get("RASD_WATCHLIST")))

    def process_item(self, item: ArticleItem, spider=None) -> ArticleItem:
        # counted per topic (rasd/matches/<topic>) by the store stage, once committed
        item["matches"] = self.watchlist.match_article(item.get("title"), item["text"])
        return item
