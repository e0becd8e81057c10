"""`rasd run`: the daemon (hourly crawl, daily digest, daily housekeeping) in the foreground."""
from __future__ import annotations

from datetime import datetime, time
from pathlib import Path

import click

from crawler.registry.sources import load_sources
from rasd.cli.options import (
    ADDRESSES,
    CLOCK,
    absolute,
    DURATION,
    Parsed,
    check_time_zone,
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
    stop_grace_option,
    timezone_option,
    watchlist_option,
)
from rasd.clock import parse_moment
from rasd.config import DaemonConfig, Target, is_url
from rasd.daemon.crawls import CrawlRunner
from rasd.daemon.lock import LockHeld
from rasd.daemon.logs import setup_logging
from rasd.daemon.service import Daemon
from rasd.digest.render import RENDERERS
from rasd.queue.target import QueueUnavailable, import_queue, queue_url
from rasd.text.watchlist_layers import load_effective_watchlist



def default_log_file(db: Target) -> Path:
    """rasd.log beside a SQLite file; in the working folder for a PostgreSQL database."""
    return Path("rasd.log").resolve() if is_url(db) else Path(db).resolve().with_name("rasd.log")

@click.command()
@db_option
@config_option("--every", "crawl_every", setting="crawl_every", type=DURATION,
               help="Time between crawls, e.g. 30m, 1h, 5s")
@crawl_timeout_option
@stop_grace_option
@config_option("--digest-at", setting="digest_at", type=CLOCK,
               help="Local time of the daily digest of the day before")
@config_option("--housekeeping-at", setting="housekeeping_at", type=CLOCK,
               help="Local time of the daily housekeeping")
@timezone_option(help="Time zone of the schedule and of the digest's day")
@config_option("--digest-format", setting="digest_format", type=click.Choice(sorted(RENDERERS)),
               help="Format of the daily digest")
@config_option("--digest-email", setting="digest_email", type=ADDRESSES, metavar="ADDRESSES",
               help="Comma-separated addresses the daily digest is mailed to (none by "
               "default), through the RASD_SMTP_* server")
@config_option("--digests-dir", setting="digests_dir", type=click.Path(file_okay=False),
               help="Folder of the daily digests")
@config_option("--keep-run-stats", setting="keep_run_stats_days", type=click.IntRange(min=1),
               metavar="DAYS", help="Days the full Scrapy stats of a crawl run are kept; its "
               "figures stay")
@config_option("--retention-days", setting="retention_days", type=click.IntRange(min=0),
               metavar="DAYS", help="Days the text of articles that matched nothing is kept; "
               "0 keeps it forever")
@config_option("--log-file", setting="log_file", type=click.Path(dir_okay=False),
               help="Rotating log file (rasd.log next to the database by default)")
@config_option("--now", setting="now", type=Parsed("datetime", parse_moment),
               help="Pretend it is this ISO time when deciding which digests were missed "
               "(for tests and re-runs)")
@queue_option
@config_option("--shards", setting="shards", type=click.IntRange(min=1),
               help="With a queue: the outlet shards each crawl tick queues, one job each")
@sources_option
@watchlist_option
@settings_option
@log_level_option()
def run(db: str, crawl_every: float, crawl_timeout: float, stop_grace: float,
        digest_at: time, housekeeping_at: time, tz: str, digest_format: str,
        digest_email: tuple[str, ...],
        digests_dir: str, keep_run_stats: int, retention_days: int, log_file: str | None,
        now: datetime | None, queue: str | None, shards: int, sources: str | None,
        watchlist: str | None,
        overrides: tuple[str, ...], log_level: str) -> None:
    """Run the daemon: crawl on a schedule, write the daily digest, keep the database tidy.

    Stops cleanly on SIGTERM or Ctrl-C. The --log-level applies to the crawls' Scrapy log.
    With a queue (a postgresql:// --db, or --queue) each crawl tick queues one job per outlet
    shard for `rasd worker`s instead of crawling itself.
    """
    check_time_zone(tz)
    checked(load_sources, sources)
    checked(load_effective_watchlist, watchlist)
    parse_settings(overrides)
    path, _ = open_database(db, create=True, write=True)
    config = DaemonConfig(
        db=absolute(path), crawl_every=crawl_every, crawl_timeout=crawl_timeout,
        stop_grace=stop_grace, digest_at=digest_at, housekeeping_at=housekeeping_at,
        timezone=tz, digest_format=digest_format, digests_dir=Path(digests_dir),
        digest_email=digest_email, keep_run_stats_days=keep_run_stats,
        retention_days=retention_days,
        log_file=Path(log_file) if log_file else default_log_file(path),
        crawl_args=crawl_arguments(sources, watchlist, overrides, log_level), now=now,
        queue_url=queue, shards=shards,
        watchlist=str(Path(watchlist).resolve()) if watchlist else None)
    try:
        setup_logging(config.log_file)
    except OSError as exc:
        raise click.ClickException(f"{config.log_file}: cannot write the log: "
                                   f"{exc.strerror or exc}") from None
    try:
        with queue_errors():
            Daemon(config, crawl_runner(config)).run()
    except (LockHeld, QueueUnavailable) as exc:
        raise click.ClickException(f"{exc}; not starting") from None


def crawl_runner(config: DaemonConfig):
    """The daemon's crawl tick: a crawl child, or, with a queue (a PostgreSQL store or
    --queue), one job per outlet shard for `rasd worker`s (rasd/queue)."""
    url = queue_url(config.queue_url, config.db)
    if url is None:
        return CrawlRunner(config)
    return import_queue("rasd.queue.scheduling").QueuedCrawls(config, url)
