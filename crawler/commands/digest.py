"""`rasd digest`: write the digest of a day."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from crawler.commands.options import db_option, open_database
from digest import write_digest
from digest.period import DEFAULT_TIMEZONE, yesterday
from digest.render import RENDERERS


@click.command()
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Local day to digest [default: yesterday]")
@click.option("--format", "fmt", type=click.Choice(sorted(RENDERERS)), default="md",
              show_default=True)
@click.option("--out", "out_file", type=click.Path(dir_okay=False), default=None,
              help="Output file [default: digests/YYYY-MM-DD.<format>]")
@click.option("--tz", envvar="RASD_TIMEZONE", default=DEFAULT_TIMEZONE, show_default=True,
              help="Time zone that defines the day (env RASD_TIMEZONE)")
@db_option
def digest(day: datetime | None, fmt: str, out_file: str | None, tz: str,
           db: str | None) -> None:
    """Write the digest of a day's matches (default: yesterday) and print its path."""
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise click.BadParameter(f"unknown time zone {tz!r}", param_hint="--tz") from None
    path, database = open_database(db)
    database.close()
    target: date = day.date() if day else yesterday(datetime.now(timezone.utc), tz)
    click.echo(write_digest(path, target, fmt=fmt, tz=tz, out_file=out_file))
