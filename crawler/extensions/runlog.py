"""Records every crawl in `crawl_runs`: when, how it ended, and its figures.

A Scrapy extension: the row is created when the spider opens (so a crash still leaves a
'running' row behind) and completed from the crawl stats when it closes. The daemon creates
the row itself before starting the crawl process and passes its id as RASD_RUN_ID, so that a
crawl that dies before or during its run is still recorded against that row.

A crawl the store stage stopped (`store_failed`: the disk is full, the file read-only...) is
recorded as failed with the error's line and the figures of what was committed. Its row is the
last write of the run. A full disk could refuse even that, so the crawl holds some room beside
a SQLite database from its start (rasd.store.reserve, RASD_STORE_RESERVE_KIB) and gives it
back before writing the row again; should that fail too, the write-ahead log is folded into
the file for a last try, and otherwise the row is left to the next crawl, which closes
'running' rows whose process is gone (`rasd.store.runs.interrupt_running_crawls`).
"""
from __future__ import annotations

import json
import logging
import os
from typing import Any

from scrapy import signals

from crawler.signals import STORE_ERROR, STORE_FAILURES
from rasd.clock import timestamp
from rasd.store.database import Store, open_store
from rasd.store.errors import DatabaseError, describe_database_error
from rasd.store.maintenance import checkpoint
from rasd.store.reserve import hold_reserve, release_reserve
from rasd.store.runs import start_run, update_run

log = logging.getLogger(__name__)


def _status(reason: str, errors: int) -> str:
    if reason == "finished":
        return "ok" if errors == 0 else "ok_with_errors"
    if reason in ("shutdown", "cancelled"):
        return "interrupted"
    return "failed"


def run_figures(stats: dict[str, Any]) -> dict[str, Any]:
    """The per-run figures kept as columns, from Scrapy's and rasd's stats."""
    prefix = "downloader/response_status_count/"
    by_status = {k.removeprefix(prefix): v for k, v in stats.items() if k.startswith(prefix)}
    topics = {k.removeprefix("rasd/matches/"): v for k, v in stats.items()
              if k.startswith("rasd/matches/")}
    return {
        "requests": stats.get("downloader/request_count", 0),
        "responses": stats.get("downloader/response_count", 0),
        "responses_by_status": json.dumps(by_status, sort_keys=True),
        "articles_new": stats.get("rasd/articles_new", 0),
        "articles_duplicate": stats.get("rasd/articles_existing", 0),
        "matches": json.dumps(topics, ensure_ascii=False, sort_keys=True),
    }


class CrawlRunLog:
    """Inserts a crawl_runs row on spider_opened and fills it in on spider_closed."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.store: Store | None = None

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider) -> None:
        self.store = open_store(self.crawler.settings.get("RASD_DB"))
        hold_reserve(self.store, self.crawler.settings.getint("RASD_STORE_RESERVE_KIB"))
        row = {"kind": spider.name, "status": "running", "pid": os.getpid()}
        run_id = self.crawler.settings.getint("RASD_RUN_ID")
        if run_id:
            update_run(self.store, run_id, row)
        else:
            run_id = start_run(self.store, {**row, "started_at": timestamp(), "trigger": "manual"})
        self.crawler.rasd_run_id = run_id

    def spider_closed(self, spider, reason: str) -> None:
        stats = self.crawler.stats.get_stats()
        errors = (stats.get("log_count/ERROR", 0) + stats.get("rasd/source_errors", 0)
                  + stats.get(STORE_FAILURES, 0))
        end = {
            "finished_at": timestamp(),
            "status": "failed" if stats.get(STORE_ERROR) else _status(reason, errors),
            "finish_reason": reason,
            **run_figures(stats),
            "errors": errors,
            "stats": json.dumps(stats, default=str, ensure_ascii=False, sort_keys=True),
        }
        if stats.get(STORE_ERROR):
            end["error"] = stats[STORE_ERROR]
        self.record_end(end)

    def record_end(self, end: dict[str, Any]) -> None:
        """Write the run's end; when the database refuses, make room (give the reserve
        back, then fold the write-ahead log into the file) and try again after each."""
        for make_room in (None, release_reserve, checkpoint):
            try:
                if make_room is not None:
                    make_room(self.store)
                update_run(self.store, self.crawler.rasd_run_id, end)
                return
            except DatabaseError as exc:
                refusal = exc
        log.info("the end of run %s could not be recorded: %s", self.crawler.rasd_run_id,
                 describe_database_error(refusal, self.store.path))
