"""Which stored articles belong to a digest: those first seen in a local-time window.

An article belongs to the window in which rasd first saw it (`fetched_at`), in the configured
time zone, so every match appears in exactly one daily digest, even when the outlet backdates it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from rasd.clock import UTC, local, parse_moment, zone
from rasd.config import DEFAULTS


@dataclass(frozen=True)
class Period:
    """A half-open window [start, end) in UTC, with the label and zone it is shown in."""

    start: datetime
    end: datetime
    label: str
    tz: str = DEFAULTS.timezone
    is_day: bool = False

    @classmethod
    def day(cls, day: date, tz: str = DEFAULTS.timezone) -> Period:
        tzinfo = zone(tz)
        start = datetime.combine(day, time.min, tzinfo)
        end = datetime.combine(day + timedelta(days=1), time.min, tzinfo)
        return cls(start.astimezone(UTC), end.astimezone(UTC),
                   day.isoformat(), tz, True)

    @classmethod
    def between(cls, since: datetime, until: datetime, tz: str = DEFAULTS.timezone) -> Period:
        """An arbitrary window; naive datetimes are local time in `tz`."""
        tzinfo = zone(tz)
        since, until = (t if t.tzinfo else t.replace(tzinfo=tzinfo) for t in (since, until))
        if until <= since:
            raise ValueError("the end of the period must be after its start")
        shown = [local(t, tz) for t in (since, until)]
        label = f"{shown[0]:%Y-%m-%d %H:%M} – {shown[1]:%Y-%m-%d %H:%M}"
        return cls(since.astimezone(UTC), until.astimezone(UTC), label, tz)

    def previous(self) -> Period:
        """The window of the same length just before: the day before, for a day."""
        if self.is_day:
            return Period.day(date.fromisoformat(self.label) - timedelta(days=1), self.tz)
        length = self.end - self.start
        return Period.between(self.start - length, self.start, self.tz)

    def slug(self) -> str:
        """The file name stem: `YYYY-MM-DD` for a day, `YYYY-MM-DDTHHMM_YYYY-MM-DDTHHMM` else."""
        if self.is_day:
            return self.label
        return "_".join(f"{local(t, self.tz):%Y-%m-%dT%H%M}" for t in (self.start, self.end))

    def bounds(self) -> tuple[str, str]:
        """The window as the ISO strings stored in `articles.fetched_at`."""
        return (self.start.isoformat(timespec="seconds"), self.end.isoformat(timespec="seconds"))

    def local(self, stored: str | None) -> str:
        """A stored UTC timestamp as local `YYYY-MM-DD HH:MM`; a bare date stays a date."""
        if not stored:
            return ""
        if len(stored) == 10:
            return stored
        try:
            moment = parse_moment(stored)
        except ValueError:
            return ""
        return f"{local(moment, self.tz):%Y-%m-%d %H:%M}"


def yesterday(now: datetime, tz: str = DEFAULTS.timezone) -> date:
    """The local day before `now` (an aware datetime): the default digest day."""
    return (local(now, tz) - timedelta(days=1)).date()
