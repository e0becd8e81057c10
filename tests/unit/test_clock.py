"""One clock: `rasd.clock.now()` is the only place rasd reads the time, and tests can set it."""
from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta, timezone

from crawler.seen import SeenUrls
from rasd import clock
from rasd.store.database import open_store
from tests.unit.test_import_graph import modules

MOMENT = datetime(2026, 11, 22, 17, 5, 15, 123456, tzinfo=UTC)


def test_use_clock_sets_now_and_gives_it_back():
    before = clock.now()
    with clock.use_clock(MOMENT):
        assert clock.now() == MOMENT
        with clock.use_clock(lambda: MOMENT + timedelta(hours=1)):
            assert clock.now() == MOMENT + timedelta(hours=1)
        assert clock.now() == MOMENT
    after = clock.now()
    assert before <= after and after.tzinfo is not None and after != MOMENT


def test_timestamps_are_stored_as_before():
    with clock.use_clock(MOMENT):
        assert clock.timestamp() == "2026-11-22T17:05:15+00:00"
        assert clock.timestamp(precise=True) == "2026-11-22T17:05:15.123+00:00"
    tripoli = MOMENT.astimezone(timezone(timedelta(hours=2)))
    assert clock.timestamp(tripoli) == "2026-11-22T17:05:15+00:00"
    assert clock.to_utc_iso("2026-11-22T19:05:15+02:00") == "2026-11-22T17:05:15+00:00"
    assert clock.to_utc_iso("2026-11-22") == "2026-11-22"


def test_moment_or_now_prefers_the_given_time():
    with clock.use_clock(MOMENT):
        assert clock.moment_or_now(None) == MOMENT
        assert clock.moment_or_now("2026-01-02T03:04") == datetime(2026, 1, 2, 3, 4, tzinfo=UTC)


def test_local_time_and_unknown_zones():
    assert clock.local(MOMENT, "Africa/Tripoli").strftime("%H:%M") == "19:05"
    try:
        clock.zone("Mars/Olympus")
    except ValueError as exc:
        assert str(exc) == "unknown time zone 'Mars/Olympus'"
    else:
        raise AssertionError("an unknown zone was accepted")


def test_the_seen_check_reads_the_injected_clock(store_target):
    store = open_store(store_target)
    store.write("INSERT INTO articles (url, fetched_at) VALUES (?, ?)",
                ["https://o.example/a/1", clock.timestamp(MOMENT)])
    seen = SeenUrls(store)
    with clock.use_clock(MOMENT + timedelta(minutes=30)):
        assert not seen.stale("https://o.example/a/1", refetch_hours=1)
    with clock.use_clock(MOMENT + timedelta(hours=2)):
        assert seen.stale("https://o.example/a/1", refetch_hours=1)
    store.close()


def test_nothing_but_the_clock_asks_the_system_for_the_time():
    readers = []
    for name, path in sorted(modules().items()):
        if name == "rasd.clock":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and ast.unparse(node.func).split(".")[-2:] in (
                    ["datetime", "now"], ["datetime", "utcnow"], ["datetime", "today"],
                    ["date", "today"]):
                readers.append(f"{name}:{node.lineno}")
    assert not readers, f"read the time through rasd.clock.now(): {readers}"
