"""Where the crawl queue lives, decided without importing the queue (an optional extra)."""
from __future__ import annotations

import importlib
from types import ModuleType

from rasd.config import Target, is_url, redact


class QueueUnavailable(Exception):
    """No PostgreSQL database for the queue; the message is one line."""


def queue_url(queue: str | None, db: Target) -> str | None:
    """The queue's database: `queue` (--queue, RASD_QUEUE_URL), else the store's when the
    store is PostgreSQL; None for a SQLite store alone (no workers: crawls are children)."""
    if queue:
        if not is_url(queue):
            raise QueueUnavailable(f"--queue/RASD_QUEUE_URL must be a postgresql:// URL, "
                                   f"got {redact(queue)!r}")
        return queue
    return db if is_url(db) else None


def required_queue_url(queue: str | None, db: Target) -> str:
    """`queue_url`, which a worker cannot do without."""
    url = queue_url(queue, db)
    if url is None:
        raise QueueUnavailable("crawl workers need a PostgreSQL queue: give --queue/"
                               "RASD_QUEUE_URL a postgresql:// URL, or use a postgresql:// "
                               "store (--db)")
    return url


def import_queue(module: str = "rasd.queue.app") -> ModuleType:
    """A module of the queue, which needs the `postgres` extra (procrastinate, psycopg)."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise QueueUnavailable(f"crawl workers need the postgres extra ({exc.name} is "
                               "missing): pip install 'rasd[postgres]'") from None
