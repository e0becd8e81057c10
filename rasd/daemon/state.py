"""The daemon's state in the `scheduler_state` table, so `rasd status` can show it.

One row per job (its next and last run) and one row 'daemon' (pid, start, heartbeat).
"""
from __future__ import annotations

import os

from rasd.clock import timestamp
from rasd.store.database import open_db


def record_daemon(db_path, outcome: str, started_at: str | None = None) -> None:
    """The daemon's own row: 'running' with its pid and a heartbeat, or 'stopped'."""
    row = {"name": "daemon", "last_outcome": outcome, "pid": os.getpid(),
           "updated_at": timestamp(precise=True)}
    if started_at:
        row["started_at"] = started_at
    db = open_db(db_path)
    db["scheduler_state"].upsert(row, pk="name")
    db.close()


def record_jobs(db_path, jobs, stopped: bool = False) -> None:
    """Each job's next run time (none once the daemon has stopped)."""
    db = open_db(db_path)
    with db.conn:
        for job in jobs:
            db["scheduler_state"].upsert(
                {"name": job.id, "next_run_at": None if stopped or job.next_run_time is None
                 else timestamp(job.next_run_time),
                 "updated_at": timestamp(precise=True)}, pk="name")
    db.close()


def record_job_run(db_path, name: str, outcome: str) -> None:
    """When a job last ran, and how it went."""
    db = open_db(db_path)
    db["scheduler_state"].upsert({"name": name, "last_run_at": timestamp(precise=True),
                                  "last_outcome": outcome,
                                  "updated_at": timestamp(precise=True)},
                                 pk="name")
    db.close()
