"""The `rasd` command line (click). Commands live in `crawler/commands/`, one module a job."""
from __future__ import annotations

import click

from rasd.cli.crawl import crawl, replay
from rasd.cli.digest import digest
from rasd.cli.listing import articles, matches
from rasd.cli.matching import match, prune, rematch
from rasd.cli.run import run
from rasd.cli.sources import sources_group
from rasd.cli.status import status


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rasd")
def cli() -> None:
    """rasd (رصد): watch Arabic news outlets for the names and terms you follow."""


cli.add_command(crawl)
cli.add_command(replay)
cli.add_command(matches)
cli.add_command(articles)
cli.add_command(digest)
cli.add_command(sources_group)
cli.add_command(match)
cli.add_command(rematch)
cli.add_command(prune)
cli.add_command(run)
cli.add_command(status)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="rasd")
