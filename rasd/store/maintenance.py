"""SQLite's own upkeep of the file, run by the daemon's housekeeping."""
from __future__ import annotations

from rasd.store.database import Store


def checkpoint_and_optimize(store: Store) -> tuple[int, int]:
    """Fold the write-ahead log into the file and truncate it, then refresh the planner's
    statistics. Returns (busy, pages checkpointed): busy is 1 when a reader held it back."""
    with store.read() as conn:
        busy, wal_pages, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        conn.execute("PRAGMA optimize")
    return busy, wal_pages
