"""The crawl queue as `rasd status` shows it: jobs by status, stalled jobs, workers, the
oldest waiting job, the last failure.

Counts and stalled jobs come from procrastinate's JobManager (`list_queues`,
`get_stalled_jobs`: the worker's own test of a dead worker); the rest from the queue's tables
(rasd/store/queue_status.py) and, for the last failure's error, from the store's crawl_runs.
Nothing is written: a queue no worker has used yet is reported as such, not created.
"""
from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from procrastinate import App, PsycopgConnector

from rasd.clock import now
from rasd.config import redact
from rasd.queue.app import CRAWL_TASK, QUEUE
from rasd.store.database import Store
from rasd.store.queue_status import queue_facts
from rasd.store.runs import last_failed_shard_crawl

STATUSES = ("todo", "doing", "succeeded", "failed", "cancelled", "aborted")


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def _age(moment: datetime | None, at: datetime) -> float | None:
    return round(max(0.0, (at - moment).total_seconds()), 1) if moment else None


async def _counts(url: str, stalled_after: float) -> tuple[dict[str, int], int]:
    """Jobs by status, and how many run on a worker silent for `stalled_after` seconds."""
    app = App(connector=PsycopgConnector(conninfo=url, min_size=1, max_size=1))
    async with app.open_async():
        queues = await app.job_manager.list_queues_async(queue=QUEUE)
        stalled = await app.job_manager.get_stalled_jobs(
            queue=QUEUE, task_name=CRAWL_TASK, seconds_since_heartbeat=stalled_after)
    jobs = {status: sum(row[status] for row in queues) for status in STATUSES}
    return jobs, len(list(stalled))


def queue_status(url: str, store: Store, stalled_after: float) -> dict[str, Any]:
    """The queue at `url` as plain data (ages in seconds, times ISO); `store` holds the
    workers' crawl_runs."""
    info: dict[str, Any] = {"url": redact(url), "name": QUEUE, "stalled_after": stalled_after}
    failure = last_failed_shard_crawl(store)
    shard = failure["trigger"].removeprefix("worker ") if failure else None
    facts = queue_facts(url, QUEUE, shard)
    if facts is None:
        return {**info, "ready": False}
    jobs, stalled = asyncio.run(_counts(url, stalled_after))
    at = now()
    waiting_since = facts["oldest_waiting_since"]
    info.update({
        "ready": True,
        "jobs": jobs,
        "stalled": stalled,
        "oldest_waiting_since": _iso(waiting_since),
        "oldest_waiting_seconds": _age(waiting_since, at),
        "workers": [{"id": w["id"], "name": w["name"],
                     "last_heartbeat": _iso(w["last_heartbeat"]),
                     "silent_seconds": _age(w["last_heartbeat"], at), "shards": w["shards"]}
                    for w in facts["workers"]],
        "last_failure": None,
    })
    if failure:
        job = facts["shard_job"]
        info["last_failure"] = {
            "shard": shard, "crawl_run": failure["id"], "status": failure["status"],
            "finished_at": failure["finished_at"], "error": failure["error"],
            "job": job and {"id": job["id"], "status": job["status"],
                            "attempts": job["attempts"],
                            "scheduled_at": _iso(job["scheduled_at"])}}
    return info
