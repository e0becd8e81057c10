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


# procrastinate's workers table holds an id and a heartbeat; rasd adds each worker's name
# (`rasd worker --name`, by default host-pid), gone with the worker's row
_WORKER_NAMES = ("CREATE TABLE IF NOT EXISTS rasd_worker_names ("
                 "worker_id bigint PRIMARY KEY REFERENCES procrastinate_workers (id) "
                 "ON DELETE CASCADE, name text NOT NULL)")


def ensure_queue_schema(url: str, schema_sql: str) -> bool:
    """Create the queue's tables from `schema_sql` unless they exist, and rasd's table of
    worker names; True when the queue's were created."""
    with psycopg.connect(url) as conn, conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
        created = conn.execute("SELECT to_regclass('procrastinate_jobs')").fetchone()[0] is None
        if created:
            conn.execute(schema_sql)
        conn.execute(_WORKER_NAMES)
        return created


def name_worker(url: str, job_id: int, name: str) -> None:
    """Record `name` for the worker running job `job_id` (procrastinate's worker id is known
    to the job's row, not to the job), once per worker."""
    with psycopg.connect(url) as conn:
        conn.execute("INSERT INTO rasd_worker_names (worker_id, name) SELECT worker_id, %s "
                     "FROM procrastinate_jobs WHERE id = %s AND worker_id IS NOT NULL "
                     "ON CONFLICT (worker_id) DO NOTHING", (name, job_id))


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
