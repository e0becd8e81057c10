"""One clock for rasd, and one set of helpers for the times it stores and shows.

`now()` is the only place rasd asks the system for the time, so that a test can set the time
of everything at once (`use_clock`). Every stored timestamp is ISO 8601 in UTC (`timestamp`);
a time zone only matters for what an analyst sees (`zone`, `local`).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def _system_now() -> datetime:
    return datetime.now(UTC)


_source: Callable[[], datetime] = _system_now


def now() -> datetime:
    """The current moment, aware, in UTC."""
    return _source().astimezone(UTC)


@contextmanager
def use_clock(source: Callable[[], datetime] | datetime) -> Iterator[None]:
    """Make `now()` answer `source()` (or a fixed moment) inside the block: for tests."""
    global _source
    previous = _source
    _source = source if callable(source) else (lambda: source)
    try:
        yield
    finally:
        _source = previous


def timestamp(moment: datetime | None = None, *, precise: bool = False) -> str:
    """`moment` (default: now) as rasd stores it: ISO 8601 UTC to the second, or to the
    millisecond when `precise` (crawl run boundaries must show that runs never overlap)."""
    moment = now() if moment is None else moment
    return moment.astimezone(UTC).isoformat(timespec="milliseconds" if precise else "seconds")


def parse_moment(text: str) -> datetime:
    """An ISO 8601 date-time as an aware datetime (UTC when it names no offset).

    Raises ValueError with a message fit for the user.
    """
    try:
        moment = datetime.fromisoformat(str(text).strip())
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO 8601 date and time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def moment_or_now(text: str | None) -> datetime:
    """`text` (an ISO 8601 time such as the RASD_NOW setting) when given, else now."""
    return parse_moment(text) if text else now()


def to_utc_iso(value: str | None) -> str | None:
    """An ISO-8601-like date or timestamp as ISO 8601 UTC; None when it cannot be read.

    A date without a time stays a date (`2026-11-16`): inventing midnight would mislead.
    """
    if not value:
        return None
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")
        except ValueError:
            return None
    if len(value) == 10:
        return parsed.date().isoformat()
    return timestamp(parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC))


def zone(name: str) -> ZoneInfo:
    """The IANA time zone `name`; ValueError naming it when there is no such zone."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r}") from None


def local(moment: datetime, tz: str) -> datetime:
    """An aware `moment` as local time in `tz`."""
    return moment.astimezone(zone(tz))
