"""What the crawl queue's tables say that procrastinate's API does not (for `rasd status`):
its workers, how long the oldest job has waited, a shard's newest job.

procrastinate's JobManager counts jobs by status and finds stalled jobs (rasd/queue/status.py
uses it); it has no call listing the workers' heartbeats, nor the time a job entered the queue
(kept in `procrastinate_events`). Read-only, on a connection of its own.
"""
from __future__ import annotations

from typing import Any

import psycopg
from psycopg.rows import dict_row

_TABLES = ("SELECT to_regclass('procrastinate_jobs') IS NOT NULL AS present, "
           "to_regclass('rasd_worker_names') IS NOT NULL AS names")

# each worker: id, heartbeat, its name (rasd's table: procrastinate keeps none; known once
# the worker has run a job), and the shards of the jobs it runs now
_WORKERS = """
SELECT w.id, {name} AS name, w.last_heartbeat,
       coalesce(array_agg(j.args->>'shard' ORDER BY j.id) FILTER (WHERE j.id IS NOT NULL),
                '{{}}') AS shards
  FROM procrastinate_workers w
  {names_join}
  LEFT JOIN procrastinate_jobs j ON j.worker_id = w.id AND j.status = 'doing'
                                 AND j.queue_name = %(queue)s
 GROUP BY w.id, {name}, w.last_heartbeat
 ORDER BY w.id
"""

# since when the oldest job that may run now has waited: since it was queued (or put back:
# its latest event), or since the time it was scheduled for (a retry after a wait)
_OLDEST_WAITING = """
SELECT min(coalesce(j.scheduled_at,
                    (SELECT max(e.at) FROM procrastinate_events e WHERE e.job_id = j.id)))
       AS since
  FROM procrastinate_jobs j
 WHERE j.queue_name = %(queue)s AND j.status = 'todo'
   AND (j.scheduled_at IS NULL OR j.scheduled_at <= now())
"""

# the newest job of a shard
_SHARD_JOB = """
SELECT id, status, attempts, scheduled_at FROM procrastinate_jobs
 WHERE queue_name = %(queue)s AND args->>'shard' = %(shard)s
 ORDER BY id DESC LIMIT 1
"""


def queue_facts(url: str, queue: str, shard: str | None = None) -> dict[str, Any] | None:
    """The workers (id, name, last_heartbeat, the shards they run), since when the oldest job due
    has waited, and the newest job of `shard`; None when the queue has no tables yet (no
    worker, `rasd run` or `rasd enqueue` has made them)."""
    with psycopg.connect(url, row_factory=dict_row) as conn:
        tables = conn.execute(_TABLES).fetchone()
        if not tables["present"]:
            return None
        workers = _WORKERS.format(   # no names before a worker of this rasd version started
            name="n.name" if tables["names"] else "NULL::text",
            names_join="LEFT JOIN rasd_worker_names n ON n.worker_id = w.id"
            if tables["names"] else "")
        params = {"queue": queue, "shard": shard}
        return {"workers": conn.execute(workers, params).fetchall(),
                "oldest_waiting_since": conn.execute(_OLDEST_WAITING, params).fetchone()["since"],
                "shard_job": conn.execute(_SHARD_JOB, params).fetchone() if shard else None}
