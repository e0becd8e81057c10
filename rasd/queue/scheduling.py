"""The scheduler's crawl tick when crawls run on workers: queue every shard.

`rasd run` stays the one scheduler (digest, housekeeping, the crawl tick); with a queue it
starts no crawl child but queues a job per outlet shard, and holds the queue's scheduler lock
for its life, so a second `rasd run` on the same queue (on any machine) is refused.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rasd.config import DaemonConfig
from rasd.daemon.lock import LockHeld
from rasd.queue.app import enqueue_shards, queue_app
from rasd.store.queue_locks import hold_scheduler_lock, scheduler_lock_holder


class QueuedCrawls:
    """Stands for CrawlRunner in the daemon: `run_once` queues the shards' crawls."""

    def __init__(self, config: DaemonConfig, url: str):
        self.url = url
        self.shards = config.shards
        self.app = queue_app(url).open()

    def run_once(self) -> str:
        return str(enqueue_shards(self.app, self.shards))

    def stop(self, force: bool = False) -> None:
        """Nothing runs here: the workers stop their crawls themselves."""

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the queue's scheduler lock; LockHeld if another scheduler has it."""
        conn = hold_scheduler_lock(self.url)
        if conn is None:
            raise LockHeld(f"another rasd scheduler uses this queue "
                           f"({scheduler_lock_holder(self.url)})")
        try:
            yield
        finally:
            conn.close()
            self.app.close()
