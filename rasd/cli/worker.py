"""`rasd worker` and `rasd enqueue`: crawl outlet shards from the PostgreSQL queue."""
from __future__ import annotations

import asyncio
import logging
import os
import socket
import sys

import click

from crawler.registry.sources import load_sources
from rasd.cli.options import (
    absolute,
    checked,
    config_option,
    crawl_arguments,
    crawl_timeout_option,
    db_option,
    log_level_option,
    open_database,
    parse_settings,
    queue_errors,
    queue_option,
    settings_option,
    sources_option,
    stalled_after_option,
    stop_grace_option,
    watchlist_option,
)
from rasd.config import DaemonConfig
from rasd.text.watchlist_layers import load_effective_watchlist

def open_queue(queue: str | None, db: str, pool_size: int = 4):
    """The queue's URL and app, or a one-line error."""
    from rasd.queue.target import QueueUnavailable, import_queue, required_queue_url

    with queue_errors():
        try:
            url = required_queue_url(queue, db)
            return url, import_queue().queue_app(url, pool_size=pool_size)
        except QueueUnavailable as exc:
            raise click.ClickException(str(exc)) from None


@click.command()
@db_option
@queue_option
@config_option("--concurrency", setting="worker_concurrency", type=click.IntRange(min=1),
               help="Shard crawls this worker runs at once (each a child process)")
@click.option("--wait/--no-wait", default=True, show_default=True,
              help="Keep waiting for jobs, or exit once no job is waiting or running")
@stalled_after_option
@crawl_timeout_option
@stop_grace_option
@click.option("--name", default=None, help="The worker's name in the logs and the queue "
              "(default: HOST-PID)")
@sources_option
@watchlist_option
@settings_option
@log_level_option()
def worker(db: str, queue: str | None, concurrency: int, wait: bool, stalled_after: float,
           crawl_timeout: float, stop_grace: float, name: str | None, sources: str | None,
           watchlist: str | None, overrides: tuple[str, ...], log_level: str) -> None:
    """Run a crawl worker: take outlet-shard jobs from the queue, crawl each in a child.

    Stops cleanly on SIGTERM or Ctrl-C (the running crawls finish their items and their jobs
    go back to the queue). The --log-level applies to the crawls' Scrapy log.
    """
    from rasd.queue.worker import run_worker

    checked(load_sources, sources)
    checked(load_effective_watchlist, watchlist)
    parse_settings(overrides)
    path, _ = open_database(db, create=True, write=True)
    url, app = open_queue(queue, db, pool_size=concurrency + 3)
    config = DaemonConfig(db=absolute(path), crawl_timeout=crawl_timeout, stop_grace=stop_grace,
                          crawl_args=crawl_arguments(sources, watchlist, overrides, log_level))
    logging.basicConfig(stream=sys.stderr, level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    asyncio.run(run_worker(app, url, config, concurrency=concurrency, wait=wait,
                           stalled_after=stalled_after,
                           name=name or f"{socket.gethostname()}-{os.getpid()}"))


@click.command()
@db_option
@queue_option
@config_option("--shards", setting="shards", type=click.IntRange(min=1),
               help="Shards the outlets are cut into: one crawl job each")
def enqueue(db: str, queue: str | None, shards: int) -> None:
    """Queue one crawl of every outlet shard for the workers (what `rasd run` does each tick)."""
    from rasd.queue.app import enqueue_shards

    _, app = open_queue(queue, db)
    with app.open():
        click.echo(enqueue_shards(app, shards))
