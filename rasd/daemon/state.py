"""The daemon's state in the `scheduler_state` table, so `rasd status` can show it.

One row per job (its next and last run) and one row 'daemon' (pid, start, heartbeat).
"""
from __future__ import annotations

import os

from rasd.clock import timestamp
from rasd.store.daemon_state import record_state
from rasd.store.database import Store


def record_daemon(store: Store, outcome: str, started_at: str | None = None) -> None:
    """The daemon's own row: 'running' with its pid and a heartbeat, or 'stopped'."""
    row = {"name": "daemon", "last_outcome": outcome, "pid": os.getpid(),
           "updated_at": timestamp(precise=True)}
    if started_at:
        row["started_at"] = started_at
    record_state(store, [row])


def record_jobs(store: Store, jobs, stopped: bool = False) -> None:
    """Each job's next run time (none once the daemon has stopped)."""
    record_state(store, [{"name": job.id,
                          "next_run_at": None if stopped or job.next_run_time is None
                          else timestamp(job.next_run_time),
                          "updated_at": timestamp(precise=True)} for job in jobs])


def record_job_run(store: Store, name: str, outcome: str) -> None:
    """When a job last ran, and how it went."""
    now = timestamp(precise=True)
    record_state(store, [{"name": name, "last_run_at": now, "last_outcome": outcome,
                          "updated_at": now}])
