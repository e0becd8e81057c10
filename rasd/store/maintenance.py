"""The database's own upkeep, run by the daemon's housekeeping: SQLite's WAL checkpoint and
planner statistics; on PostgreSQL only the statistics (ANALYZE), the server does the rest."""
from __future__ import annotations

from rasd.store.database import Store


def checkpoint(store: Store) -> tuple[int, int]:
    """Fold the write-ahead log into the file and truncate it. Returns (busy, pages
    checkpointed): busy is 1 when a reader held it back. PostgreSQL has no such file to
    fold (its server checkpoints by itself): (0, 0)."""
    if store.dialect != "sqlite":
        return 0, 0
    with store.read() as conn:
        busy, wal_pages, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return busy, wal_pages


def checkpoint_and_optimize(store: Store) -> tuple[int, int]:
    """`checkpoint`, then refresh the planner's statistics."""
    result = checkpoint(store)
    with store.read() as conn:
        conn.execute("PRAGMA optimize" if store.dialect == "sqlite" else "ANALYZE")
    return result
