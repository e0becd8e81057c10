"""Options and checks shared by several commands, defined once so they behave the same everywhere.

An option that sets a field of the configuration (rasd.config.Config) is a `ConfigOption`: its
default and its RASD_* variable come from the model, which also reads and checks the variable.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from rasd.clock import to_utc_iso, zone
from rasd.store.database import Store, open_store
from rasd.store.errors import DatabaseError, describe_database_error
from rasd.config import (
    Config,
    ConfigError,
    Target,
    describe,
    is_url,
    parse_addresses,
    parse_clock,
    parse_duration,
    parse_target,
)


class Parsed(click.ParamType):
    """A click type from a parse function that raises ValueError with a readable message;
    a value already parsed (from the configuration) passes as it is."""

    def __init__(self, name: str, parse: Callable[[str], Any]):
        self.name = name
        self.parse = parse

    def convert(self, value, param, ctx):
        if not isinstance(value, str):
            return value
        try:
            return self.parse(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


DURATION = Parsed("duration", parse_duration)
CLOCK = Parsed("HH:MM", parse_clock)
ADDRESSES = Parsed("ADDRESSES", parse_addresses)


class ConfigOption(click.Option):
    """An option for the configuration field `setting`: the model's default (as a user writes
    it), overridden by its RASD_* variable, which the model reads and checks."""

    def __init__(self, *decls: str, setting: str, **kwargs: Any):
        spec = Config.spec(setting).metadata
        self.setting = setting
        kwargs["help"] = f"{kwargs.get('help') or ''} (env {spec['variable']})".lstrip()
        super().__init__(*decls, default=spec["text"], show_default=bool(spec["text"]), **kwargs)

    def value_from_envvar(self, ctx: click.Context) -> Any:
        try:
            return Config.from_variable(self.setting)
        except ConfigError as exc:
            raise click.BadParameter(str(exc), ctx=ctx, param=self) from None


def config_option(*decls: str, setting: str, **kwargs: Any) -> Callable:
    """`click.option` for a configuration field (see ConfigOption)."""
    return click.option(*decls, cls=ConfigOption, setting=setting, **kwargs)


db_option = config_option("--db", setting="db", type=Parsed("PATH|URL", parse_target),
                          help="SQLite database file, or a postgresql:// URL")
queue_option = config_option("--queue", "queue", setting="queue_url", metavar="URL",
                             help="PostgreSQL database of the crawl queue (default: the "
                             "store's, when --db is a postgresql:// URL)")
sources_option = click.option("--sources", type=click.Path(dir_okay=False), default=None,
                              help="Outlet registry TOML replacing the shipped default")


def _watchlist_layer(ctx: click.Context, param: click.Parameter, value: Any) -> str | None:
    """The analyst's watchlist file as an absolute path, or None when it is the default
    ./watchlist.toml and there is none (an explicitly named file must exist)."""
    if value is None:
        return None
    path = Path(value)
    if ctx.get_parameter_source(param.name) is ParameterSource.DEFAULT and not path.exists():
        return None
    return str(path.resolve())


watchlist_option = config_option(
    "--watchlist", setting="watchlist", type=click.Path(dir_okay=False),
    callback=_watchlist_layer,
    help="Your watchlist TOML, laid over the shipped one (replace = true in it: instead)")
settings_option = click.option(
    "-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE",
    help="Override a Scrapy or rasd setting (repeatable), e.g. -s DOWNLOAD_DELAY=0")
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table")


crawl_timeout_option = config_option(
    "--crawl-timeout", setting="crawl_timeout", type=DURATION,
    help="A crawl running longer is stopped and recorded as timed_out")
stop_grace_option = config_option(
    "--stop-grace", setting="stop_grace", type=DURATION,
    help="Time a crawl gets to finish its items when stopped, before it is killed")
stalled_after_option = config_option(
    "--stalled-after", setting="stalled_after", type=DURATION,
    help="A worker silent this long is dead: its jobs go to another worker")


def log_level_option(default: str = "WARNING",
                     help: str = "Scrapy log level (logs go to stderr)") -> Callable:
    """--log-level, the level of Scrapy's log."""
    return click.option("--log-level", default=default, show_default=True, help=help,
                        type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"],
                                          case_sensitive=False))


def timezone_option(help: str) -> Callable:
    """--tz, the time zone of a digest's day (checked by `check_time_zone`)."""
    return config_option("--tz", setting="timezone", metavar="ZONE", help=help)


def check_time_zone(tz: str) -> str:
    """An IANA time zone name, or a one-line usage error naming --tz."""
    try:
        zone(tz)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--tz") from None
    return tz


def moment(value: str | None, hint: str) -> str | None:
    """A date (YYYY-MM-DD) or ISO timestamp as stored timestamps compare, or a one-line usage
    error naming the option `hint`."""
    if value is None:
        return None
    parsed = to_utc_iso(value)
    if parsed is None:
        raise click.BadParameter(f"expected a date like 2026-11-01 or an ISO timestamp, "
                                 f"got {value!r}", param_hint=hint)
    return parsed


def open_database(path: Target | str, *, create: bool = False,
                  write: bool = False) -> tuple[Target, Store]:
    """Open the database or fail with a one-line error (never a traceback).

    Only the commands that fill a database `create` it: a mistyped --db given to a command
    that reads must not leave an empty database behind (a PostgreSQL database is made by its
    server's administrator; rasd creates its tables in it). A command that will `write`
    checks that it can before it starts (a read-only file fails now, not half-way).
    Returns the database as given (a Path, or the URL) and its store.
    """
    try:
        resolved = parse_target(path)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    if not is_url(resolved) and not create and not resolved.exists():
        raise click.ClickException(f"no database at {resolved} (check --db or RASD_DB; "
                                   "`rasd crawl` creates one)")
    try:
        store = open_store(resolved)
        if write:
            store.check_writable()
    except DatabaseError as exc:
        raise click.ClickException(
            describe_database_error(exc, resolved, "cannot open database")) from None
    except OSError as exc:
        raise click.ClickException(f"{resolved}: cannot open database: {exc}") from None
    remember_database(resolved)
    return resolved, store


def absolute(target: Target) -> Target:
    """A SQLite path made absolute (a crawl child may run elsewhere); a URL as it is."""
    return target if is_url(target) else Path(target).resolve()


def remember_database(path: Target) -> None:
    """Note the command's database, so that an error met later names it (see `cli`)."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.meta["rasd.db"] = describe(path)


def checked(load: Callable[..., Any], *args: Any) -> Any:
    """Run a config loader, turning its ConfigError into a one-line CLI error."""
    try:
        return load(*args)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


# Settings the commands fill from their own options; `-s` would be silently overridden.
OPTION_SETTINGS = {"RASD_DB": "--db", "RASD_SOURCES": "--sources",
                   "RASD_WATCHLIST": "--watchlist", "LOG_LEVEL": "--log-level"}


def crawl_arguments(sources: str | None, watchlist: str | None, overrides: tuple[str, ...],
                    log_level: str) -> tuple[str, ...]:
    """The options a scheduled crawl child (`rasd crawl`) is given, from the parent's own."""
    return (*(["--sources", str(Path(sources).resolve())] if sources else []),
            *(["--watchlist", str(Path(watchlist).resolve())] if watchlist else []),
            *(arg for pair in overrides for arg in ("-s", pair)),
            "--log-level", log_level)


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


@contextmanager
def queue_errors() -> Iterator[None]:
    """A failure of the queue's database (unreachable, refused) as one line."""
    try:
        import psycopg
    except ImportError:   # no postgres extra: no queue, nothing to report
        yield
        return
    try:
        yield
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise click.ClickException(f"the queue's database: {first}") from None
