"""Per-outlet health and back-off (rasd/store/outlet_health.py), and reading Retry-After."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

import pytest
from scrapy.http import Response

from crawler.middlewares.retry_after import retry_after
from rasd.store import schema
from rasd.store.database import open_store
from rasd.store.outlet_health import (
    Outcome,
    failing_outlets,
    record_outcomes,
    rest,
    resting_outlets,
)

NOW = datetime(2026, 11, 23, 7, 0, tzinfo=timezone.utc)
CAP = timedelta(hours=24)


def test_rest_doubles_from_the_second_failure_up_to_the_cap():
    assert [rest(n, CAP) for n in range(1, 6)] == [
        timedelta(0), timedelta(hours=1), timedelta(hours=2), timedelta(hours=4),
        timedelta(hours=8)]
    assert rest(40, CAP) == CAP


def test_a_failing_outlet_rests_and_one_success_clears_it(store_target):
    store = open_store(store_target)
    for hour in range(3):
        record_outcomes(store, {"dead": Outcome("DNS lookup failed"), "fine": Outcome()},
                        NOW + timedelta(hours=hour), CAP)
    [dead] = failing_outlets(store)
    assert (dead["slug"], dead["consecutive_failures"], dead["last_error"]) == (
        "dead", 3, "DNS lookup failed")
    later = NOW + timedelta(hours=2)
    assert dead["next_attempt_at"] == (later + timedelta(hours=2)).isoformat()
    assert set(resting_outlets(store, later + timedelta(hours=1))) == {"dead"}
    assert resting_outlets(store, later + timedelta(hours=2, seconds=1)) == {}
    record_outcomes(store, {"dead": Outcome()}, NOW + timedelta(hours=5), CAP)
    assert failing_outlets(store) == []
    assert resting_outlets(store, NOW) == {}


def test_retry_after_sets_the_next_attempt_within_the_cap(store_target):
    store = open_store(store_target)
    record_outcomes(store, {"busy": Outcome("HTTP 503", NOW + timedelta(hours=6))}, NOW, CAP)
    assert resting_outlets(store, NOW)["busy"]["next_attempt_at"] == \
        (NOW + timedelta(hours=6)).isoformat()
    record_outcomes(store, {"greedy": Outcome("HTTP 503", NOW + timedelta(days=90))}, NOW, CAP)
    assert resting_outlets(store, NOW)["greedy"]["next_attempt_at"] == (NOW + CAP).isoformat()


def test_migration_2_adds_outlet_health_to_a_version_1_database(tmp_path):
    path = tmp_path / "v1.db"
    store = open_store(path)
    with sqlite3.connect(path) as conn:   # back to what a version-1 rasd left
        conn.execute("DROP TABLE outlet_health")
        conn.execute("INSERT INTO sources (slug, name) VALUES ('x', 'X')")
        conn.execute("PRAGMA user_version = 1")
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    schema.migrate(store)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        assert conn.execute("SELECT name FROM sources").fetchall() == [("X",)]
        assert conn.execute("SELECT count(*) FROM outlet_health").fetchone() == (0,)


def response(value: str | None) -> Response:
    return Response("http://x.example/", status=503,
                    headers={"Retry-After": value} if value is not None else {})


@pytest.mark.parametrize("value, wait", [
    ("120", timedelta(seconds=120)),
    ("Mon, 23 Nov 2026 08:00:00 GMT", timedelta(hours=1)),
    ("Mon, 23 Nov 2026 06:00:00 GMT", timedelta(0)),   # already past
    (None, None), ("soon", None), ("-5", None),
])
def test_retry_after_is_seconds_or_a_date(value, wait):
    assert retry_after(response(value), NOW) == wait
