"""The daemon's state in the `scheduler_state` table, so `rasd status` can show it.

One row per job (its next and last run) and one row 'daemon' (pid, start, heartbeat).
"""
from __future__ import annotations

import os
from datetime import datetime, timezone

from rasd.daemon.crawls import precise_now
from rasd.store.database import open_db


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds") if moment else None


def record_daemon(db_path, outcome: str, started_at: str | None = None) -> None:
    """The daemon's own row: 'running' with its pid and a heartbeat, or 'stopped'."""
    row = {"name": "daemon", "last_outcome": outcome, "pid": os.getpid(),
           "updated_at": precise_now()}
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
                {"name": job.id, "next_run_at": None if stopped else _iso(job.next_run_time),
                 "updated_at": precise_now()}, pk="name")
    db.close()


def record_job_run(db_path, name: str, outcome: str) -> None:
    """When a job last ran, and how it went."""
    db = open_db(db_path)
    db["scheduler_state"].upsert({"name": name, "last_run_at": precise_now(),
                                  "last_outcome": outcome, "updated_at": precise_now()},
                                 pk="name")
    db.close()
