"""Each outlet's health: consecutive failed crawls, last success, and when to try it next.

An outlet that fails every hour (gone, blocking rasd, asking to be left alone with
Retry-After) should not be asked every hour for weeks. After its second failed crawl in a row
it rests: 1 hour, then 2, 4, … up to a cap, or until the date its Retry-After gave, whichever
is later; one success clears it. The spider skips a resting outlet and says so.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from rasd.clock import timestamp
from rasd.store import statements
from rasd.store.database import Store

FIRST_REST = timedelta(hours=1)


@dataclass(frozen=True)
class Outcome:
    """How one outlet's crawl went: `error` None when some listing of it was read."""

    error: str | None = None
    retry_after: datetime | None = None   # the latest moment the outlet asked us to wait for


def rest(failures: int, cap: timedelta) -> timedelta:
    """How long an outlet rests after `failures` failed crawls in a row: none after one,
    then 1 h, 2 h, 4 h, … never more than `cap`."""
    if failures < 2:
        return timedelta(0)
    return min(FIRST_REST * 2 ** min(failures - 2, 30), cap)


def record_outcomes(store: Store, outcomes: Mapping[str, Outcome], now: datetime,
                    cap: timedelta) -> None:
    """Update the health of the outlets a crawl tried, in one transaction."""
    known = {r["slug"]: r["consecutive_failures"] or 0 for r in store.rows(
        "SELECT slug, consecutive_failures FROM outlet_health")}
    rows = []
    for slug, outcome in outcomes.items():
        if outcome.error is None:
            rows.append({"slug": slug, "consecutive_failures": 0,
                         "last_success_at": timestamp(now), "next_attempt_at": None,
                         "last_error": None})
            continue
        failures = known.get(slug, 0) + 1
        next_attempt = now + rest(failures, cap)
        if outcome.retry_after is not None:
            next_attempt = max(next_attempt, min(outcome.retry_after, now + cap))
        rows.append({"slug": slug, "consecutive_failures": failures,
                     "last_failure_at": timestamp(now),
                     "next_attempt_at": timestamp(next_attempt) if next_attempt > now else None,
                     "last_error": outcome.error[:300]})
    with store.transaction() as conn:
        statements.upsert(conn, "outlet_health", rows, key=("slug",))


def resting_outlets(store: Store, now: datetime) -> dict[str, dict]:
    """The outlets not to be tried before their `next_attempt_at`, by slug."""
    return {r["slug"]: r for r in store.rows(
        "SELECT * FROM outlet_health WHERE next_attempt_at > ?", (timestamp(now),))}


def failing_outlets(store: Store) -> list[dict]:
    """Outlets whose last crawl failed, the longest-failing first."""
    return store.rows("SELECT * FROM outlet_health WHERE consecutive_failures > 0 "
                      "ORDER BY consecutive_failures DESC, slug")
