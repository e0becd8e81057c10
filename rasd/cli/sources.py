"""`rasd sources list` and `rasd sources check [--online]`: the registry, as a user sees it."""
from __future__ import annotations

import click
from tabulate import tabulate

from rasd.cli.options import parse_settings
from crawler.listings.probe import probe_table
from crawler.registry.check import check_registry
from crawler.runner import crawl_settings, run_spider
from crawler.listings.window import reference_now
from crawler.registry.sources import DEFAULT_SOURCES, Source

sources_file_option = click.option(
    "--sources", type=click.Path(dir_okay=False), default=None,
    help="Outlet registry TOML instead of the shipped default")


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


@sources_group.command("list")
@sources_file_option
def list_sources(sources: str | None) -> None:
    """List the registry's outlets with their feeds, sitemaps and settings."""
    rows = []
    for s in _valid_sources(sources):
        settings = ", ".join(f"{k}={s.extra[k]}" for k in
                             ("user_agent", "download_delay", "concurrency", "language")
                             if k in s.extra)
        rows.append([s.slug, "yes" if s.enabled else "no", s.extra.get("country", ""),
                     len(s.feeds), len(s.sitemaps), s.homepage, settings])
    click.echo(tabulate(rows, headers=["slug", "enabled", "country", "feeds", "sitemaps",
                                       "homepage", "settings"], tablefmt="simple"))


@sources_group.command("check")
@sources_file_option
@click.option("--online", is_flag=True,
              help="Also fetch every feed and sitemap and a few of their articles")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Override a Scrapy or rasd setting for the online probe (repeatable)")
@click.option("--log-level", default="CRITICAL", show_default=True,
              type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"],
                                case_sensitive=False),
              help="Scrapy log level of the online probe (every failure is in the table)")
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
    click.echo(probe_table(probes, reference_now(settings.get("RASD_NOW"))))
    failing = sum(not p.ok for p in probes)
    click.echo(f"{len(probes) - failing} of {len(probes)} feeds and sitemaps ok"
               + (f", {failing} failing (kept in the registry)" if failing else ""))
