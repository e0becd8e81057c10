"""Daily housekeeping of the database, run by the daemon.

`housekeeping()` is the daemon's one entry point: retention of the text of articles that
matched nothing (rasd/store/retention.py), old run stats, then SQLite's own upkeep.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path

from rasd.clock import now as clock_now
from rasd.clock import timestamp
from rasd.daemon.lock import crawl_running
from rasd.store.database import open_store
from rasd.store.maintenance import checkpoint_and_optimize
from rasd.store.retention import prune_unmatched_text
from rasd.store.runs import interrupt_running_crawls, prune_run_stats

log = logging.getLogger("rasd.daemon.housekeeping")


def close_orphan_runs(db_path: str | Path) -> int:
    """Mark 'running' crawl rows whose process is gone (a daemon or crawl killed outright) as
    interrupted, unless a crawl (of every outlet or of a shard) runs right now. Replays take
    no lock: left alone."""
    if crawl_running(db_path):
        return 0
    return interrupt_running_crawls(open_store(db_path))


def housekeeping(db_path: str | Path, keep_run_stats_days: int, retention_days: int,
                 now: datetime | None = None) -> dict[str, int]:
    """Apply text retention, prune old run stats (the full Scrapy stats JSON of runs older
    than `keep_run_stats_days`; their figures stay), checkpoint the WAL, refresh statistics."""
    now = now or clock_now()
    store = open_store(db_path)
    texts = prune_unmatched_text(store, now, retention_days)
    pruned = prune_run_stats(store, timestamp(now - timedelta(days=keep_run_stats_days)))
    busy, wal_pages = checkpoint_and_optimize(store)
    result = {"texts_pruned": texts, "run_stats_pruned": pruned,
              "wal_pages_checkpointed": wal_pages, "checkpoint_busy": busy}
    log.info("housekeeping: %s", ", ".join(f"{k} {v}" for k, v in result.items()))
    return result
