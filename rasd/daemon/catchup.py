"""What the daemon owes on start: digests missed while it was down, and the next crawl time.

Missed crawls are not replayed one by one: a single crawl fetches everything that was missed,
so they are coalesced into one crawl right away (or at the next interval after the last one).
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from rasd.clock import local, parse_moment
from rasd.store.database import Store
from rasd.store.digests import last_digest_day
from rasd.store.runs import last_crawl_started

MAX_CATCH_UP_DAYS = 7   # a machine down for a month gets its last week of digests, not 30


def due_digest_day(now: datetime, tz: str, at: time) -> date:
    """The latest local day whose digest should exist at `now` (written at `at` the day after)."""
    here = local(now, tz)
    yesterday = here.date() - timedelta(days=1)
    return yesterday if here.time() >= at else yesterday - timedelta(days=1)


def missed_digest_days(store: Store, now: datetime, tz: str, at: time,
                       fmt: str) -> list[date]:
    """Days after the last digest written (in `fmt`) up to the due day; the due day alone on a
    database that never had one."""
    due = due_digest_day(now, tz, at)
    last = last_digest_day(store, fmt)
    if last is None:
        return [due]
    first = max(date.fromisoformat(last) + timedelta(days=1),
                due - timedelta(days=MAX_CATCH_UP_DAYS - 1))
    return [first + timedelta(days=n) for n in range((due - first).days + 1)]


def first_crawl_time(store: Store, now: datetime, every: float) -> datetime:
    """Now if a crawl is overdue (however many were missed), else one interval after the last."""
    started = last_crawl_started(store)
    if started is None:
        return now
    return max(now, parse_moment(started) + timedelta(seconds=every))
