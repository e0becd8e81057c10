"""`rasd crawl` and `rasd replay`: run the pipelines over outlets or local files."""
from __future__ import annotations

from typing import Any

import click

from crawler.recording import is_recording, replay_settings, start_recording
from crawler.registry.shards import parse_shard
from crawler.registry.sources import load_sources
from crawler.runner import crawl_settings, run_spider
from crawler.signals import STORE_ERROR
from crawler.spiders.replay import SKIPPED, replay_files
from rasd.cli.options import (
    checked,
    db_option,
    log_level_option,
    open_database,
    parse_settings,
    settings_option,
    sources_option,
    watchlist_option,
)
from rasd.daemon.lock import LockHeld, crawl_lock
from rasd.store.health import check_health
from rasd.store.runs import interrupt_running_crawls
from rasd.config import describe, is_url
from rasd.text.watchlist_layers import load_effective_watchlist


def summarize(stats: dict[str, Any]) -> str:
    """The short report printed after a crawl or replay."""
    topics = sorted((k.removeprefix("rasd/matches/"), v) for k, v in stats.items()
                    if k.startswith("rasd/matches/"))
    dropped = sum(v for k, v in stats.items() if k.startswith("rasd/dropped/"))
    lines = [
        f"articles: {stats.get('rasd/articles_new', 0)} new, "
        f"{stats.get('rasd/articles_existing', 0)} already stored, {dropped} dropped "
        f"(not an article or not in a kept language)",
        "matches: " + (", ".join(f"{t} {n}" for t, n in topics) or "none"),
    ]
    duplicates = stats.get("rasd/duplicates", 0)
    if duplicates:
        lines.append(f"duplicates: {duplicates} of the new articles copy an earlier one"
                     " (stored, linked by duplicate_of)")
    repaired = stats.get("rasd/repaired", 0)
    if repaired:
        lines.append(f"repaired: {repaired} articles an earlier crawl stored without their "
                     "matches were matched")
    updated = stats.get("rasd/articles_updated", 0)
    if updated:
        lines.append(f"updated: {updated} re-fetched articles (refetch_hours)")
    errors = stats.get("rasd/source_errors", 0)
    if errors:
        lines.append(f"errors: {errors} feed/sitemap failures (see the log above)")
    failed = stats.get("rasd/article_errors", 0)
    if failed:
        lines.append(f"failed: {failed} articles could not be fetched (see the log above)")
    resting = stats.get("rasd/outlets_resting", 0)
    if resting:
        lines.append(f"resting: {resting} failing outlets skipped until their next attempt "
                     "(rasd status)")
    return "\n".join(lines)


class CrawlRefused(click.ClickException):
    """Another crawl of the same database is running; 75 (EX_TEMPFAIL) means 'try later'."""

    exit_code = 75


def _run(spider: str, db: str, settings: dict[str, Any], log_level: str) -> None:
    path, _ = open_database(db, create=True, write=True)
    # a damaged file would fail the pipelines item by item, each with a traceback: refuse it
    # once, up front (quick_check reads every page: 0.08 s per 100 MB, benchmarks/store_checks.py)
    health = check_health(path)
    if not health.sound:
        shown = describe(path)
        raise click.ClickException(f"{shown}: the database is damaged ({health.problems[0]}): "
                                   f"run `rasd doctor --db {shown}`")
    settings.update(RASD_DB=str(path), LOG_LEVEL=log_level.upper())
    stats = run_spider(spider, crawl_settings(settings))
    click.echo(summarize(stats))
    skipped = stats.get(SKIPPED)
    if skipped:
        raise click.ClickException(f"{len(skipped)} file(s) not replayed: {'; '.join(skipped)}")
    if stats.get(STORE_ERROR):
        raise click.ClickException(
            f"crawl stopped, the database refused a write: {stats.get(STORE_ERROR)} "
            f"({stats.get('rasd/articles_new', 0)} new articles committed before it are kept; "
            f"{stats.get('rasd/articles_not_stored', 0)} will be fetched again)")


@click.command()
@sources_option
@watchlist_option
@db_option
@settings_option
@log_level_option()
@click.option("--record", "record", type=click.Path(file_okay=False), default=None,
              metavar="DIR", help="Keep every response in DIR, for `rasd replay DIR`")
@click.option("--shard", default=None, metavar="K/N",
              help="Crawl only the outlets of shard K of N (what a `rasd worker` job runs)")
def crawl(sources: str | None, watchlist: str | None, db: str,
          overrides: tuple[str, ...], log_level: str, record: str | None,
          shard: str | None) -> None:
    """Crawl the registry's feeds and sitemaps once and store what matches."""
    checked(load_sources, sources)
    shard_key = checked(parse_shard, shard) if shard else None
    checked(load_effective_watchlist, watchlist)
    settings = parse_settings(overrides)
    if record:
        days = crawl_settings(settings).getint("RASD_SITEMAP_DAYS")
        settings = {**checked(start_recording, record, sources, settings.get("RASD_NOW"), days),
                    **settings}
    settings.update(RASD_SOURCES=sources, RASD_WATCHLIST=watchlist)
    if shard_key:
        settings["RASD_SHARD"] = "/".join(map(str, shard_key))
    path, store = open_database(db, create=True, write=True)   # before any lock file
    if is_url(path):   # PostgreSQL: crawls on several machines share it (claims, not a file)
        _run("news", db, settings, log_level)
        return
    try:
        lock = crawl_lock(path, shard_key).acquire()
    except LockHeld as exc:
        raise CrawlRefused(f"{exc}; not crawling") from None
    with lock:
        if shard_key is None:
            # holding the lock, no other crawl of this database runs: a 'running' row left by
            # a crawl killed outright is closed, except the daemon's row for this very crawl
            # (shard crawls run side by side: the worker that ran a crawl closes its row)
            interrupt_running_crawls(store, keep=int(settings.get("RASD_RUN_ID") or 0))
        _run("news", db, settings, log_level)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@watchlist_option
@db_option
@settings_option
@log_level_option()
def replay(paths: tuple[str, ...], watchlist: str | None, db: str,
           overrides: tuple[str, ...], log_level: str) -> None:
    """Replay local .txt/.html files (or folders of them), or a recorded crawl, offline."""
    checked(load_effective_watchlist, watchlist)
    recordings = [p for p in paths if is_recording(p)]
    if recordings:
        if len(paths) > 1:
            raise click.ClickException("a recorded crawl is replayed on its own: "
                                       f"rasd replay {recordings[0]}")
        settings = checked(replay_settings, recordings[0])
        settings.update(parse_settings(overrides), RASD_WATCHLIST=watchlist)
        _run("news", db, settings, log_level)
        return
    files = replay_files(list(paths))
    if not files:
        raise click.ClickException(f"no .txt or .html files in {', '.join(paths)}")
    settings = parse_settings(overrides)
    settings.update(RASD_WATCHLIST=watchlist, RASD_REPLAY_PATHS=[str(f) for f in files])
    _run("replay", db, settings, log_level)
