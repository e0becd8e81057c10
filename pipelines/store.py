"""Store stage: write articles and their matches through `rasd.store`.

Items are buffered and written one transaction per batch (RASD_STORE_BATCH) and at the end of
the crawl: every article of a batch with its matches, and the duplicate and story rows the
dedup stage writes on the `article_stored` signal, commit together or not at all. Counters
move only once the batch is committed. A batch that fails is not kept: its URLs are not
recorded anywhere, so the next crawl fetches them again; the failure is counted
(`rasd/store_failures`), and the crawl keeps its listings' validators from being saved.
A write the database refuses (disk full, I/O error, locked too long, read-only) stops the
crawl: the spider closes with the reason `store_failed`, nothing more is written, and the
error's one-line description is kept in the stats (`rasd/store_error`) for the run log and
the command's exit. Going on would only fetch pages that cannot be stored.
The URL is unique, so re-running a crawl or a replay never stores an article twice. Items
dropped by an earlier stage are remembered in `dropped_urls`, with the reason, so they are not
fetched again before RASD_DROPPED_RETRY_HOURS.
A re-fetched article (its outlet's `refetch_hours`) overwrites its stored version.
"""
from __future__ import annotations

from collections import Counter

from scrapy import signals
from scrapy.exceptions import DropItem
from twisted.python.failure import Failure

from crawler.items import ArticleItem
from crawler.signals import STORE_FAILURES, article_stored
from crawler.store_failure import stop_on_store_failure
from rasd.clock import timestamp
from rasd.store.articles import record_dropped, save_article
from rasd.store.claims import release_urls
from rasd.store.database import Store, open_store
from rasd.store.errors import DatabaseError

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
        self.failed = False   # a write failed: the crawl is closing, nothing more is written

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
        if (self.store is None or self.failed or not isinstance(exception, DropItem)
                or not item.get("url")):
            return
        try:
            with self.store.transaction():
                record_dropped(self.store, item["url"], item.get("source"), str(exception),
                               timestamp())
                release_urls(self.store, [item.get("claimed_url")])
        except DatabaseError as exc:
            self._fail(exc)

    def flush(self) -> None:
        """Write the buffered items in one transaction, then count them."""
        if not self.pending:
            return
        batch, self.pending = self.pending, []
        if self.failed:
            self.crawler.stats.inc_value("rasd/articles_not_stored", len(batch))
            return
        counts: Counter[str] = Counter()
        try:
            with self.store.transaction():
                for item in batch:
                    self._save(item, counts)
        except Exception as exc:
            self.crawler.stats.inc_value(STORE_FAILURES)
            self.crawler.stats.inc_value("rasd/articles_not_stored", len(batch))
            if not isinstance(exc, DatabaseError):
                raise   # a bug: Scrapy logs it with its traceback
            self._fail(exc)
            return
        for name, count in counts.items():
            self.crawler.stats.inc_value(name, count)

    def _fail(self, exc: Exception) -> None:
        """The database refused a write: nothing more is written, the crawl stops."""
        self.failed = True
        stop_on_store_failure(self.crawler, exc, self.db_path)

    def _save(self, item: ArticleItem, counts: Counter[str]) -> None:
        row = {field: item.get(field) for field in _ARTICLE_FIELDS + _DEDUP_FIELDS}
        row["crawl_run_id"] = getattr(self.crawler, "rasd_run_id", None)
        row["matched_at"] = timestamp()   # its matches are written in this transaction
        saved = save_article(self.store, row,
                             [(m.topic, m.term, m.count, m.position, m.snippet, m.form)
                              for m in item.get("matches") or []],
                             refetch=bool(item.get("refetch")))
        release_urls(self.store, [item.get("claimed_url")])   # stored: known from now on
        counts[f"rasd/articles_{saved.outcome}"] += 1
        if saved.article_id is None:
            return
        counts.update(f"rasd/matches/{topic}" for topic in
                      {m.topic for m in item.get("matches") or []})
        # pipelines.dedup links duplicates and stories now that the id is known
        for _, result in self.crawler.signals.send_catch_log(
                signal=article_stored, item=item, article_id=saved.article_id,
                store=self.store, counts=counts,
                dont_log=DatabaseError):   # reported once, as the store's failure
            if isinstance(result, Failure):   # a handler failed: the batch must not commit
                result.raiseException()
