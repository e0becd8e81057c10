"""The crawl queue's own database chores, on PostgreSQL: its schema, and the one scheduler.

The queue (procrastinate, rasd/queue) keeps its tables in a PostgreSQL database, the store's
or RASD_QUEUE_URL's. Whoever starts first (`rasd worker`, `rasd run`, `rasd enqueue`) creates
them, under a transaction-level advisory lock so that two starting at once do it once.
The scheduler holds a session advisory lock for its whole life on a connection of its own:
the server releases it when that connection ends, so a killed scheduler never leaves it behind.
"""
from __future__ import annotations

import psycopg

_SCHEMA_LOCK = 0x72617364_0001     # "rasd" + 1: creating the queue's tables
_SCHEDULER_LOCK = 0x72617364_0002  # "rasd" + 2: the one `rasd run` of a queue


def ensure_queue_schema(url: str, schema_sql: str) -> bool:
    """Create the queue's tables from `schema_sql` unless they exist; True when created."""
    with psycopg.connect(url) as conn, conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
        if conn.execute("SELECT to_regclass('procrastinate_jobs')").fetchone()[0] is not None:
            return False
        conn.execute(schema_sql)
        return True


def hold_scheduler_lock(url: str) -> psycopg.Connection | None:
    """A connection holding the scheduler's lock (keep it open for as long as the scheduler
    runs), or None when another scheduler holds it."""
    conn = psycopg.connect(url, autocommit=True)
    if conn.execute("SELECT pg_try_advisory_lock(%s)", (_SCHEDULER_LOCK,)).fetchone()[0]:
        return conn
    conn.close()
    return None


def scheduler_lock_holder(url: str) -> str:
    """'pid N on HOST' of the server backend holding the scheduler's lock, as far as known."""
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT a.pid, coalesce(host(a.client_addr), 'a local socket') FROM pg_locks l "
            "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' "
            "AND l.granted AND (l.classid::bigint << 32) + l.objid::bigint = %s",
            (_SCHEDULER_LOCK,)).fetchone()
    return f"server backend {row[0]} from {row[1]}" if row else "holder unknown"
