"""The procrastinate app of the crawl queue: its task, and enqueuing the shards.

A shard job carries its shard ('K/N') only; each worker crawls it with its own configuration
(database URL, registry, watchlist), as its machine's systemd unit gives it. The job's `lock`
is its shard, so two jobs of one shard never run at once (one outlet, one worker); its
`queueing_lock` is the shard too, so a shard is queued at most once however many ticks pass
while the workers are busy.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

import psycopg
from procrastinate import App, JobContext, PsycopgConnector
from procrastinate.exceptions import AlreadyEnqueued
from procrastinate.schema import SchemaManager

from rasd.config import DaemonConfig
from rasd.queue.jobs import ShardCrawl, ShardRetry
from rasd.store.queue_locks import ensure_queue_schema, name_worker

CRAWL_TASK = "rasd.crawl_shard"
QUEUE = "crawls"

log = logging.getLogger(__name__)


def shard_lock(shard: str) -> str:
    return f"rasd-shard-{shard}"


@dataclass(frozen=True)
class Enqueued:
    queued: int
    already: int

    def __str__(self) -> str:
        return f"queued {self.queued} shard crawls ({self.already} already waiting)"


def crawl_shard(context: JobContext, shard: str) -> str:
    """Crawl shard `shard` ('K/N') as the worker is configured (its additional context)."""
    named: threading.Event = context.additional_context["rasd_named"]
    if not named.is_set():   # once per worker
        try:
            name_worker(context.additional_context["rasd_queue_url"], context.job.id,
                        context.worker_name)
            named.set()
        except psycopg.Error as exc:   # `rasd status` shows it by id alone until a next job
            log.warning("shard %s: the worker's name was not recorded: %s", shard, exc)
    crawl = ShardCrawl(context.additional_context["rasd_config"], shard)
    crawls: set = context.additional_context["rasd_crawls"]
    crawls.add(crawl)
    try:
        return crawl.run_job()
    finally:
        crawls.discard(crawl)


def queue_app(url: str, *, pool_size: int = 4) -> App:
    """The app on the queue at `url` (its tables created when missing)."""
    logging.getLogger("procrastinate").setLevel(logging.WARNING)   # its per-job chatter
    ensure_queue_schema(url, SchemaManager.get_schema())
    app = App(connector=PsycopgConnector(conninfo=url, min_size=1, max_size=pool_size))
    app.task(name=CRAWL_TASK, queue=QUEUE, pass_context=True, retry=ShardRetry())(crawl_shard)
    return app


def enqueue_shards(app: App, shards: int) -> Enqueued:
    """Queue a crawl of every shard 1..`shards` not waiting already (the app is open)."""
    task = app.tasks[CRAWL_TASK]
    queued = already = 0
    for number in range(1, shards + 1):
        shard = f"{number}/{shards}"
        try:
            task.configure(lock=shard_lock(shard), queueing_lock=shard_lock(shard)).defer(
                shard=shard)
            queued += 1
        except AlreadyEnqueued:
            already += 1
    return Enqueued(queued, already)


def worker_context(config: DaemonConfig, queue_url: str) -> dict:
    """What each job of a worker needs: its configuration, the queue's URL and whether the
    worker's name is recorded yet (its first job records it), and a place for its running
    crawls (so that a stop can reach them). procrastinate gives each job a shallow copy of
    this dict: what jobs share lives in mutable values."""
    return {"rasd_config": config, "rasd_queue_url": queue_url, "rasd_named": threading.Event(),
            "rasd_crawls": set()}
