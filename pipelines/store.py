"""Store stage: write articles and their matches through `rasd.store`.

Items are buffered and written one transaction per batch (RASD_STORE_BATCH) and at the end of
the crawl: every article of a batch with its matches, and the duplicate and story rows the
dedup stage writes on the `article_stored` signal, commit together or not at all. Counters
move only once the batch is committed. A batch that fails is not kept: its URLs are not
recorded anywhere, so the next crawl fetches them again; the failure is logged and counted
(`rasd/store_failures`), and the crawl keeps its listings' validators from being saved.
The URL is unique, so re-running a crawl or a replay never stores an article twice. Items
dropped by an earlier stage are remembered in `dropped_urls` so they are not fetched again.
A re-fetched article (its outlet's `refetch_hours`) overwrites its stored version.
"""
from __future__ import annotations

from collections import Counter

from scrapy import signals
from scrapy.exceptions import DropItem
from twisted.python.failure import Failure

from crawler.items import ArticleItem
from crawler.signals import STORE_FAILURES, article_stored
from rasd.clock import timestamp
from rasd.store.articles import record_dropped, save_article
from rasd.store.database import Store, open_store

_ARTICLE_FIELDS = ("url", "source", "title", "text", "published_at", "published_date",
                   "fetched_at", "lang",
                   "author", "site_name", "encoding")
_DEDUP_FIELDS = ("original_url", "fingerprint")   # set by the spider and pipelines.dedup


class StorePipeline:
    """Buffers items and writes them in batches; records dropped URLs as seen."""

    def __init__(self, crawler, db_path: str, batch_size: int):
        self.crawler = crawler
        self.db_path = db_path
        self.batch_size = max(1, batch_size)
        self.pending: list[ArticleItem] = []
        self.store: Store | None = None

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler, crawler.settings.get("RASD_DB"),
                       crawler.settings.getint("RASD_STORE_BATCH"))
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        return pipeline

    def open_spider(self, spider=None) -> None:
        self.store = open_store(self.db_path)

    def close_spider(self, spider=None) -> None:
        self.flush()

    def process_item(self, item: ArticleItem, spider=None) -> ArticleItem:
        self.pending.append(item)
        if len(self.pending) >= self.batch_size:
            self.flush()
        return item

    def item_dropped(self, item, response, exception, spider=None) -> None:
        """Remember a dropped page's URL, so the next crawl does not download it again."""
        if self.store is None or not isinstance(exception, DropItem) or not item.get("url"):
            return
        record_dropped(self.store, item["url"], item.get("source"), str(exception), timestamp())

    def flush(self) -> None:
        """Write the buffered items in one transaction, then count them."""
        if not self.pending:
            return
        batch, self.pending = self.pending, []
        counts: Counter[str] = Counter()
        try:
            with self.store.transaction():
                for item in batch:
                    self._save(item, counts)
        except Exception:
            self.crawler.stats.inc_value(STORE_FAILURES)
            raise
        for name, count in counts.items():
            self.crawler.stats.inc_value(name, count)

    def _save(self, item: ArticleItem, counts: Counter[str]) -> None:
        row = {field: item.get(field) for field in _ARTICLE_FIELDS + _DEDUP_FIELDS}
        row["crawl_run_id"] = getattr(self.crawler, "rasd_run_id", None)
        saved = save_article(self.store, row,
                             [(m.topic, m.term, m.count, m.position, m.snippet, m.form)
                              for m in item.get("matches") or []],
                             refetch=bool(item.get("refetch")))
        counts[f"rasd/articles_{saved.outcome}"] += 1
        if saved.article_id is None:
            return
        # pipelines.dedup links duplicates and stories now that the id is known
        for _, result in self.crawler.signals.send_catch_log(
                signal=article_stored, item=item, article_id=saved.article_id,
                store=self.store, counts=counts):
            if isinstance(result, Failure):   # a handler failed: the batch must not commit
                result.raiseException()
