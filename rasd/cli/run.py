"""`rasd run`: the daemon (hourly crawl, daily digest, daily housekeeping) in the foreground."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from rasd.cli.crawl import log_level_option, settings_option, watchlist_option
from rasd.cli.options import (
    check_time_zone,
    checked,
    db_option,
    open_database,
    parse_settings,
)
from rasd.daemon.config import DaemonConfig, parse_clock, parse_duration
from rasd.daemon.logs import setup_logging
from rasd.daemon.service import Daemon
from rasd.clock import parse_moment
from rasd.daemon.lock import LockHeld
from crawler.registry.sources import load_sources
from rasd.digest.render import RENDERERS
from rasd.text.watchlist import load_watchlist


class _Parsed(click.ParamType):
    """A click type from a parse function that raises ValueError with a readable message."""

    def __init__(self, name: str, parse):
        self.name = name
        self.parse = parse

    def convert(self, value, param, ctx):
        if not isinstance(value, str):
            return value
        try:
            return self.parse(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


DURATION = _Parsed("duration", parse_duration)
CLOCK = _Parsed("HH:MM", parse_clock)


@click.command()
@db_option
@click.option("--every", "crawl_every", type=DURATION, default="1h", show_default=True,
              envvar="RASD_CRAWL_EVERY", help="Time between crawls, e.g. 30m, 1h, 5s "
              "(env RASD_CRAWL_EVERY)")
@click.option("--crawl-timeout", type=DURATION, default="50m", show_default=True,
              envvar="RASD_CRAWL_TIMEOUT", help="A crawl running longer is stopped and "
              "recorded as timed_out (env RASD_CRAWL_TIMEOUT)")
@click.option("--stop-grace", type=DURATION, default="30s", show_default=True,
              envvar="RASD_STOP_GRACE", help="Time a crawl gets to finish its items when "
              "stopped, before it is killed (env RASD_STOP_GRACE)")
@click.option("--digest-at", type=CLOCK, default="07:00", show_default=True,
              envvar="RASD_DIGEST_AT", help="Local time of the daily digest of the day "
              "before (env RASD_DIGEST_AT)")
@click.option("--housekeeping-at", type=CLOCK, default="03:30", show_default=True,
              envvar="RASD_HOUSEKEEPING_AT", help="Local time of the daily housekeeping "
              "(env RASD_HOUSEKEEPING_AT)")
@click.option("--tz", default="Africa/Tripoli", show_default=True, envvar="RASD_TIMEZONE",
              help="Time zone of the schedule and of the digest's day (env RASD_TIMEZONE)")
@click.option("--digest-format", type=click.Choice(sorted(RENDERERS)), default="html",
              show_default=True, envvar="RASD_DIGEST_FORMAT",
              help="Format of the daily digest (env RASD_DIGEST_FORMAT)")
@click.option("--digest-email", default="", envvar="RASD_DIGEST_EMAIL", metavar="ADDRESSES",
              help="Comma-separated addresses the daily digest is mailed to, through the "
              "RASD_SMTP_* server (env RASD_DIGEST_EMAIL) [default: none]")
@click.option("--digests-dir", type=click.Path(file_okay=False), default="digests",
              show_default=True, envvar="RASD_DIGESTS_DIR",
              help="Folder of the daily digests (env RASD_DIGESTS_DIR)")
@click.option("--keep-run-stats", type=click.IntRange(min=1), default=90, show_default=True,
              envvar="RASD_KEEP_RUN_STATS_DAYS", metavar="DAYS",
              help="Days the full Scrapy stats of a crawl run are kept; its figures stay "
              "(env RASD_KEEP_RUN_STATS_DAYS)")
@click.option("--retention-days", type=click.IntRange(min=0), default=30, show_default=True,
              envvar="RASD_RETENTION_DAYS", metavar="DAYS",
              help="Days the text of articles that matched nothing is kept; 0 keeps it "
              "forever (env RASD_RETENTION_DAYS)")
@click.option("--log-file", type=click.Path(dir_okay=False), default=None,
              envvar="RASD_LOG_FILE", help="Rotating log file [default: rasd.log next to the "
              "database] (env RASD_LOG_FILE)")
@click.option("--now", type=_Parsed("datetime", parse_moment), default=None, envvar="RASD_NOW",
              help="Pretend it is this ISO time when deciding which digests were missed "
              "(for tests and re-runs; env RASD_NOW)")
@click.option("--sources", type=click.Path(dir_okay=False), default=None,
              help="Outlet registry TOML for every crawl")
@watchlist_option
@settings_option
@log_level_option
def run(db: str | None, crawl_every: float, crawl_timeout: float, stop_grace: float,
        digest_at, housekeeping_at, tz: str, digest_format: str, digest_email: str,
        digests_dir: str, keep_run_stats: int, retention_days: int, log_file: str | None,
        now: datetime | None, sources: str | None, watchlist: str | None,
        overrides: tuple[str, ...], log_level: str) -> None:
    """Run the daemon: crawl on a schedule, write the daily digest, keep the database tidy.

    Stops cleanly on SIGTERM or Ctrl-C. The --log-level applies to the crawls' Scrapy log.
    """
    check_time_zone(tz)
    checked(load_sources, sources)
    checked(load_watchlist, watchlist)
    parse_settings(overrides)
    path, _ = open_database(db)
    crawl_args = [*(["--sources", str(Path(sources).resolve())] if sources else []),
                  *(["--watchlist", str(Path(watchlist).resolve())] if watchlist else []),
                  *(arg for pair in overrides for arg in ("-s", pair)),
                  "--log-level", log_level]
    config = DaemonConfig(
        db=path.resolve(), crawl_every=crawl_every, crawl_timeout=crawl_timeout,
        stop_grace=stop_grace, digest_at=digest_at, housekeeping_at=housekeeping_at, tz=tz,
        digest_format=digest_format, digests_dir=Path(digests_dir),
        digest_email=tuple(a.strip() for a in digest_email.split(",") if a.strip()),
        keep_run_stats_days=keep_run_stats, retention_days=retention_days,
        log_file=Path(log_file) if log_file else path.resolve().with_name("rasd.log"),
        crawl_args=crawl_args, now=now)
    try:
        setup_logging(config.log_file)
    except OSError as exc:
        raise click.ClickException(f"{config.log_file}: cannot write the log: "
                                   f"{exc.strerror or exc}") from None
    try:
        Daemon(config).run()
    except LockHeld as exc:
        raise click.ClickException(f"{exc}; not starting") from None
