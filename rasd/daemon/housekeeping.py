"""Daily housekeeping of the database, run by the daemon.

`housekeeping()` is the daemon's one entry point: retention of the text of articles that
matched nothing (pipelines/retention.py), old run stats, then SQLite's own upkeep.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path

from rasd.clock import now as clock_now
from rasd.clock import timestamp
from rasd.daemon.lock import crawl_lock_path, is_held
from rasd.store.database import open_db
from rasd.store.retention import prune_unmatched_text

log = logging.getLogger("rasd.daemon.housekeeping")


def prune_run_stats(db, keep_days: int, now: datetime) -> int:
    """Drop the full Scrapy stats JSON of runs older than `keep_days`; their figures stay."""
    cutoff = timestamp(now - timedelta(days=keep_days))
    with db.conn:
        return db.execute("UPDATE crawl_runs SET stats = NULL "
                          "WHERE stats IS NOT NULL AND started_at < ?", [cutoff]).rowcount


def close_orphan_runs(db_path: str | Path) -> int:
    """Mark 'running' crawl rows whose process is gone (a daemon or crawl killed outright) as
    interrupted, unless a crawl holds the lock right now. Replays take no lock: left alone."""
    if is_held(crawl_lock_path(db_path)):
        return 0
    db = open_db(db_path)
    with db.conn:
        count = db.execute(
            "UPDATE crawl_runs SET status = 'interrupted', "
            "error = coalesce(error, 'its process ended without recording the end') "
            "WHERE status = 'running' AND kind = 'news'").rowcount
    db.close()
    return count


def housekeeping(db_path: str | Path, keep_run_stats_days: int, retention_days: int,
                 now: datetime | None = None) -> dict[str, int]:
    """Apply text retention, prune old run stats, checkpoint the WAL, refresh statistics."""
    now = now or clock_now()
    db = open_db(db_path)
    texts = prune_unmatched_text(db, now, retention_days)
    pruned = prune_run_stats(db, keep_run_stats_days, now)
    busy, wal_pages, _ = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    db.execute("PRAGMA optimize")
    db.close()
    result = {"texts_pruned": texts, "run_stats_pruned": pruned,
              "wal_pages_checkpointed": wal_pages, "checkpoint_busy": busy}
    log.info("housekeeping: %s", ", ".join(f"{k} {v}" for k, v in result.items()))
    return result
