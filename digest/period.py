"""Which stored articles belong to a digest: those first seen in a local-time window.

An article belongs to the day rasd first saw it (`fetched_at`), in the configured time zone,
so every match appears in exactly one daily digest, even when the outlet backdates it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Africa/Tripoli"


@dataclass(frozen=True)
class Period:
    """A half-open window [start, end) in UTC, with the local day it stands for (if any)."""

    start: datetime
    end: datetime
    label: str

    @classmethod
    def day(cls, day: date, tz: str = DEFAULT_TIMEZONE) -> "Period":
        zone = ZoneInfo(tz)
        start = datetime.combine(day, time.min, zone)
        end = datetime.combine(day + timedelta(days=1), time.min, zone)
        return cls(start.astimezone(timezone.utc), end.astimezone(timezone.utc), day.isoformat())

    def bounds(self) -> tuple[str, str]:
        """The window as the ISO strings stored in `articles.fetched_at`."""
        return (self.start.isoformat(timespec="seconds"), self.end.isoformat(timespec="seconds"))


def yesterday(now: datetime, tz: str = DEFAULT_TIMEZONE) -> date:
    """The local day before `now` (an aware datetime): the default digest day."""
    return (now.astimezone(ZoneInfo(tz)) - timedelta(days=1)).date()
