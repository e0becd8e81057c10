"""Store stage: write articles and their matches to SQLite with sqlite-utils.

Items are buffered and written one transaction per batch (RASD_STORE_BATCH) and at the end of
the crawl. The URL is unique, so re-running a crawl or a replay never stores an article twice.
Items dropped by an earlier stage are remembered in `dropped_urls` so they are not fetched again.
A re-fetched article (its outlet's `refetch_hours`) overwrites its stored version.
"""
from __future__ import annotations

from scrapy import signals
from scrapy.exceptions import DropItem

from rasd.store.database import open_db
from rasd.clock import utc_now
from crawler.items import ArticleItem
from crawler.signals import article_stored

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
        self.db = None

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler, crawler.settings.get("RASD_DB"),
                       crawler.settings.getint("RASD_STORE_BATCH"))
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        return pipeline

    def open_spider(self, spider=None) -> None:
        self.db = open_db(self.db_path)

    def close_spider(self, spider=None) -> None:
        self.flush()
        self.db.close()

    def process_item(self, item: ArticleItem, spider=None) -> ArticleItem:
        self.pending.append(item)
        if len(self.pending) >= self.batch_size:
            self.flush()
        return item

    def item_dropped(self, item, response, exception, spider=None) -> None:
        """Remember a dropped page's URL, so the next crawl does not download it again."""
        if self.db is None or not isinstance(exception, DropItem) or not item.get("url"):
            return
        self.db["dropped_urls"].upsert({
            "url": item["url"], "source": item.get("source"), "reason": str(exception),
            "dropped_at": utc_now(),
        }, pk="url")

    def flush(self) -> None:
        """Write the buffered items in one transaction."""
        if not self.pending:
            return
        run_id = getattr(self.crawler, "rasd_run_id", None)
        stats = self.crawler.stats
        with self.db.conn:
            for item in self.pending:
                row = {field: item.get(field) for field in _ARTICLE_FIELDS + _DEDUP_FIELDS}
                row["crawl_run_id"] = run_id
                cursor = self.db.execute(
                    f"INSERT OR IGNORE INTO articles ({', '.join(row)}) "
                    f"VALUES ({', '.join('?' * len(row))})", list(row.values()))
                if cursor.rowcount == 0:
                    if not item.get("refetch"):
                        stats.inc_value("rasd/articles_existing")
                        continue
                    article_id = self.refresh(row)
                else:
                    stats.inc_value("rasd/articles_new")
                    article_id = cursor.lastrowid
                self.db.conn.executemany(
                    "INSERT OR REPLACE INTO matches (article_id, topic, term, count, position,"
                    " snippet, form) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(article_id, m.topic, m.term, m.count, m.position, m.snippet, m.form)
                     for m in item.get("matches") or []])
                # pipelines.dedup links duplicates and stories now that the id is known
                self.crawler.signals.send_catch_log(
                    signal=article_stored, item=item, article_id=article_id, db=self.db)
        self.pending.clear()

    def refresh(self, row: dict) -> int:
        """Overwrite a re-fetched article (the outlet's refetch_hours) with its new version.

        Its id, URL and links stay; its matches are replaced by the new version's.
        """
        columns = [c for c in row if c not in ("url", "original_url")]
        self.db.execute(f"UPDATE articles SET {', '.join(f'{c} = ?' for c in columns)}"
                        " WHERE url = ?", [row[c] for c in columns] + [row["url"]])
        article_id = self.db.execute("SELECT id FROM articles WHERE url = ?",
                                     [row["url"]]).fetchone()[0]
        self.db.execute("DELETE FROM matches WHERE article_id = ?", [article_id])
        self.crawler.stats.inc_value("rasd/articles_updated")
        return article_id
