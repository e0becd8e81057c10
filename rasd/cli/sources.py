"""`rasd sources list` and `rasd sources check [--online]`: the registry, as a user sees it."""
from __future__ import annotations

from pathlib import Path

import click
from tabulate import tabulate

from crawler.listings.probe import probe_table
from crawler.registry.check import check_registry
from crawler.registry.sources import DEFAULT_SOURCES, Source
from crawler.runner import crawl_settings, run_spider
from rasd.cli.options import (
    db_option,
    log_level_option,
    open_database,
    parse_settings,
    settings_option,
    sources_option,
)
from rasd.clock import moment_or_now
from rasd.config import is_url


def _valid_sources(path: str | None) -> list[Source]:
    sources, problems = check_registry(path)
    for problem in problems:
        click.echo(f"problem: {problem}", err=True)
    if problems:
        raise click.ClickException(
            f"{path or DEFAULT_SOURCES}: {len(problems)} problem(s) in the registry")
    return sources


@click.group("sources")
def sources_group() -> None:
    """Show and check the outlet registry."""


def _health(db: str) -> dict[str, str]:
    """`failing ×N` for each failing outlet in the database (none when there is no database
    file: listing the registry must not create one; a PostgreSQL database is always read)."""
    if not is_url(db) and not Path(db).exists():
        return {}
    from rasd.store.outlet_health import failing_outlets
    return {o["slug"]: f"failing x{o['consecutive_failures']}"
            + (f", next {o['next_attempt_at'][:16]}" if o["next_attempt_at"] else "")
            for o in failing_outlets(open_database(db)[1])}


@sources_group.command("list")
@sources_option
@db_option
def list_sources(sources: str | None, db: str) -> None:
    """List the registry's outlets with their feeds, sitemaps, settings and health."""
    rows = []
    health = _health(db)
    for s in _valid_sources(sources):
        settings = ", ".join(f"{k}={getattr(s, k)}" for k in
                             ("user_agent", "download_delay", "concurrency", "language")
                             if getattr(s, k) is not None)
        if s.allow_private:
            settings = ", ".join(filter(None, (settings, "allow_private")))
        rows.append([s.slug, "yes" if s.enabled else "no", s.country or "",
                     len(s.feeds), len(s.sitemaps), s.homepage, settings,
                     health.get(s.slug, "ok")])
    click.echo(tabulate(rows, headers=["slug", "enabled", "country", "feeds", "sitemaps",
                                       "homepage", "settings", "health"], tablefmt="simple"))


@sources_group.command("check")
@sources_option
@click.option("--online", is_flag=True,
              help="Also fetch every feed and sitemap and a few of their articles")
@settings_option
@log_level_option("CRITICAL", "Scrapy log level of the online probe (every failure is in the "
                  "table)")
def check(sources: str | None, online: bool, overrides: tuple[str, ...], log_level: str) -> None:
    """Validate the registry offline; with --online, probe each listing and print a table."""
    found = _valid_sources(sources)
    enabled = sum(s.enabled for s in found)
    listings = sum(len(s.feeds) + len(s.sitemaps) for s in found)
    click.echo(f"{sources or DEFAULT_SOURCES}: {len(found)} sources ({enabled} enabled), "
               f"{listings} feeds and sitemaps, no problems")
    if not online:
        return
    settings = parse_settings(overrides)
    settings.update(RASD_SOURCES=sources, LOG_LEVEL=log_level.upper())
    settings = crawl_settings(settings)
    stats = run_spider("probe", settings)
    probes = stats.get("rasd/probe", [])
    click.echo(probe_table(probes, moment_or_now(settings.get("RASD_NOW"))))
    failing = sum(not p.ok for p in probes)
    click.echo(f"{len(probes) - failing} of {len(probes)} feeds and sitemaps ok"
               + (f", {failing} failing (kept in the registry)" if failing else ""))
