"""`rasd digest`: write (and optionally mail) the digest of a day or a period."""
from __future__ import annotations

import smtplib
from datetime import datetime

import click

from rasd import clock
from rasd.cli.options import (
    check_time_zone,
    db_option,
    open_database,
    timezone_option,
    watchlist_option,
)
from rasd.config import DEFAULTS, ConfigError, MailSettings
from rasd.digest import mail_digest, write_period
from rasd.digest.period import Period, yesterday
from rasd.digest.render import RENDERERS
from rasd.digest.write import topic_descriptions

MOMENT = click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M",
                                 "%Y-%m-%dT%H:%M:%S"])


def _period(day: datetime | None, since: datetime | None, until: datetime | None,
            tz: str) -> Period:
    if day and (since or until):
        raise click.UsageError("give either --date or --since/--until, not both")
    if until and not since:
        raise click.UsageError("--until needs --since")
    if since:
        end = until or clock.local(clock.now(), tz).replace(second=0, microsecond=0)
        try:
            return Period.between(since, end, tz)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--until") from None
    return Period.day(day.date() if day else yesterday(clock.now(), tz), tz)


@click.command()
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              metavar="YYYY-MM-DD",
              help="Local day to digest [default: yesterday]")
@click.option("--since", type=MOMENT, default=None, metavar="YYYY-MM-DD[THH:MM]",
              help="Start of a period instead of a day (local time, inclusive)")
@click.option("--until", type=MOMENT, default=None, metavar="YYYY-MM-DD[THH:MM]",
              help="End of the period (local time, exclusive) [default: now]")
@click.option("--format", "fmt", type=click.Choice(list(RENDERERS)),
              default=DEFAULTS.digest_format, show_default=True)
@click.option("--out", "out_file", type=click.Path(dir_okay=False), default=None,
              help="Output file [default: digests/YYYY-MM-DD.<format>]")
@click.option("--email", "recipients", multiple=True, metavar="ADDRESS",
              help="Also mail the digest to ADDRESS (repeatable; SMTP from RASD_SMTP_*)")
@click.option("--topic", default=None, metavar="SLUG",
              help="Only the stories of this watchlist topic (e.g. a feed for one topic)")
@timezone_option(help="Time zone that defines the day")
@watchlist_option
@db_option
def digest(day: datetime | None, since: datetime | None, until: datetime | None, fmt: str,
           out_file: str | None, recipients: tuple[str, ...], topic: str | None, tz: str,
           watchlist: str | None, db: str) -> None:
    """Write the digest of a day's matches (default: yesterday) and print its path."""
    check_time_zone(tz)
    period = _period(day, since, until, tz)
    try:
        descriptions = topic_descriptions(watchlist)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    if topic is not None and topic not in descriptions:
        raise click.BadParameter(f"no topic {topic!r} in the watchlist", param_hint="--topic")
    addresses = [a.strip() for value in recipients for a in value.split(",") if a.strip()]
    try:
        settings = MailSettings.from_env() if addresses else None
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    path, _ = open_database(db, write=True)
    written, content = write_period(path, period, fmt=fmt, out_file=out_file,
                                    descriptions=descriptions, topic=topic)
    click.echo(written)
    if settings:
        try:
            mail_digest(content, addresses, settings)
        except (smtplib.SMTPException, OSError) as exc:
            raise click.ClickException(
                f"mail: cannot send via {settings.host}:{settings.port}: {exc}") from None
        click.echo(f"mailed to {', '.join(addresses)} "
                   f"({content.match_count} matching articles)")
