"""Options and checks shared by several commands, so that they behave the same everywhere."""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from rasd.config import ConfigError
from rasd.store.database import Store, db_path, open_store


def check_time_zone(tz: str) -> str:
    """An IANA time zone name, or a one-line usage error naming --tz."""
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise click.BadParameter(f"unknown time zone {tz!r}", param_hint="--tz") from None
    return tz


def db_option(func: Callable) -> Callable:
    """--db FILE, defaulting to $RASD_DB, then ./rasd.db."""
    return click.option("--db", "db", type=click.Path(dir_okay=False), default=None,
                        help="SQLite database file [default: $RASD_DB or ./rasd.db]")(func)


def open_database(path: str | None) -> tuple[Path, Store]:
    """Open the database or fail with a one-line error (never a traceback)."""
    resolved = db_path(path)
    try:
        return resolved, open_store(resolved)
    except (sqlite3.DatabaseError, OSError) as exc:
        raise click.ClickException(f"{resolved}: cannot open database: {exc}") from None


def checked(load: Callable[..., Any], *args: Any) -> Any:
    """Run a config loader, turning its ConfigError into a one-line CLI error."""
    try:
        return load(*args)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


# Settings the commands fill from their own options; `-s` would be silently overridden.
OPTION_SETTINGS = {"RASD_DB": "--db", "RASD_SOURCES": "--sources",
                   "RASD_WATCHLIST": "--watchlist", "LOG_LEVEL": "--log-level"}


def parse_settings(pairs: tuple[str, ...]) -> dict[str, str]:
    """`-s NAME=VALUE` pairs as a dict, as `scrapy crawl -s` takes them."""
    result = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"expected NAME=VALUE, got {pair!r}", param_hint="-s")
        if name in OPTION_SETTINGS:
            raise click.BadParameter(f"set {name} with {OPTION_SETTINGS[name]}",
                                     param_hint="-s")
        result[name] = value
    return result
