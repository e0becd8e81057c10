"""SQLite's own upkeep of the file, run by the daemon's housekeeping."""
from __future__ import annotations

from rasd.store.database import Store


def checkpoint(store: Store) -> tuple[int, int]:
    """Fold the write-ahead log into the file and truncate it. Returns (busy, pages
    checkpointed): busy is 1 when a reader held it back."""
    with store.read() as conn:
        busy, wal_pages, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return busy, wal_pages


def checkpoint_and_optimize(store: Store) -> tuple[int, int]:
    """`checkpoint`, then refresh the planner's statistics."""
    result = checkpoint(store)
    with store.read() as conn:
        conn.execute("PRAGMA optimize")
    return result
