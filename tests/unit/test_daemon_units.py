"""The daemon's parts in-process: locks, catch-up arithmetic, housekeeping, run figures,
durations and clock times (the command line's answers are in tests/e2e/test_daemon_cli.py)."""
from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta, timezone

import pytest

from crawler.extensions.runlog import run_figures
from rasd.config import parse_clock, parse_duration
from rasd.daemon.catchup import due_digest_day, first_crawl_time, missed_digest_days
from rasd.daemon.housekeeping import close_orphan_runs, housekeeping
from rasd.daemon.lock import LockHeld, crawl_lock, crawl_lock_path, crawl_running, is_held
from rasd.store import statements
from rasd.store.database import Store, open_store
from tests.conftest import query

TRIPOLI = "Africa/Tripoli"   # UTC+2 all year
SEVEN = time(7, 0)


def test_a_held_lock_refuses_a_second_holder_and_names_the_first(db):
    with crawl_lock(db):
        assert is_held(crawl_lock_path(db))
        with pytest.raises(LockHeld, match=r"another crawl of this database is running "
                                           r"\(pid \d+ since 20"):
            crawl_lock(db).acquire()
    assert not is_held(crawl_lock_path(db))
    with crawl_lock(db):   # free again once released
        pass


@pytest.mark.parametrize("now, due", [
    ("2026-11-22T05:30:00+00:00", date(2026, 11, 21)),   # 07:30 in Tripoli: yesterday is due
    ("2026-11-22T04:59:00+00:00", date(2026, 11, 20)),   # 06:59: not yet, the day before
    ("2026-11-21T23:30:00+00:00", date(2026, 11, 20)),   # 01:30 on the 22nd in Tripoli
])
def test_the_due_digest_day_follows_the_local_clock(now, due):
    assert due_digest_day(datetime.fromisoformat(now), TRIPOLI, SEVEN) == due


def insert(store: Store, table: str, row: dict) -> int | None:
    """One row written through the store; its id, for a table that has one."""
    with store.transaction() as conn:
        if table in ("articles", "crawl_runs"):
            return statements.insert_id(conn, table, row)
        statements.insert(conn, table, row)
        return None


def test_missed_digests_are_the_days_since_the_last_one_at_most_a_week(store_target):
    store = open_store(store_target)
    now = datetime(2026, 11, 22, 8, 0, tzinfo=timezone.utc)
    assert missed_digest_days(store, now, TRIPOLI, SEVEN, "md") == [date(2026, 11, 21)]
    insert(store, "digests", {"day": "2026-11-18", "format": "md", "path": "x",
                                "written_at": "", "articles": 0})
    assert missed_digest_days(store, now, TRIPOLI, SEVEN, "md") == [
        date(2026, 11, 19), date(2026, 11, 20), date(2026, 11, 21)]
    assert missed_digest_days(store, now, TRIPOLI, SEVEN, "json") == [date(2026, 11, 21)]
    insert(store, "digests", {"day": "2026-10-01", "format": "json", "path": "x",
                                "written_at": "", "articles": 0})
    week = missed_digest_days(store, now, TRIPOLI, SEVEN, "json")
    assert week[0] == date(2026, 11, 15) and week[-1] == date(2026, 11, 21) and len(week) == 7
    insert(store, "digests", {"day": "2026-11-21", "format": "md", "path": "x",
                                "written_at": "", "articles": 0})
    assert missed_digest_days(store, now, TRIPOLI, SEVEN, "md") == []


def test_missed_crawls_are_coalesced_into_one_crawl_now(store_target):
    store = open_store(store_target)
    now = datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)
    assert first_crawl_time(store, now, 3600) == now   # never crawled
    insert(store, "crawl_runs", {"kind": "news", "started_at": "2026-11-21T08:00:00+00:00"})
    assert first_crawl_time(store, now, 3600) == now   # 27 crawls missed: one, now
    insert(store, "crawl_runs", {"kind": "news",
                                   "started_at": "2026-11-22T11:40:00.250+00:00"})
    assert first_crawl_time(store, now, 3600) == datetime(
        2026, 11, 22, 12, 40, 0, 250000, tzinfo=timezone.utc)


def test_housekeeping_prunes_old_run_stats_but_keeps_their_figures(store_target):
    store = open_store(store_target)
    now = datetime(2026, 11, 22, tzinfo=timezone.utc)
    for age, status in ((100, "ok"), (5, "ok"), (1, "running")):
        insert(store, "crawl_runs", {
            "kind": "news", "status": status, "articles_new": age, "stats": "{}",
            "started_at": (now - timedelta(days=age)).isoformat()})
    old = (now - timedelta(days=40)).isoformat()
    unmatched = insert(store, "articles", {"url": "https://o.example/1", "text": "نص",
                                           "fetched_at": old})
    matched = insert(store, "articles", {"url": "https://o.example/2", "text": "حفتر",
                                         "fetched_at": old})
    insert(store, "matches", {"article_id": matched, "topic": "haftar", "term": "حفتر"})

    result = housekeeping(store_target, keep_run_stats_days=90, now=now, retention_days=30)

    assert result["run_stats_pruned"] == 1 and result["checkpoint_busy"] == 0
    assert result["texts_pruned"] == 1
    assert dict(query(store_target, "SELECT id, text FROM articles")) == {
        unmatched: None, matched: "حفتر"}
    assert query(store_target, "SELECT articles_new, stats FROM crawl_runs ORDER BY id") == [
        (100, None), (5, "{}"), (1, "{}")]


def test_orphan_runs_are_closed_unless_a_crawl_holds_the_lock(db):
    """SQLite only: the crawl lock is a file beside the database (PostgreSQL's crawls share
    the database and take none)."""
    store = open_store(db)
    insert(store, "crawl_runs", {"kind": "news", "status": "running"})
    # a 'running' row is left behind by a killed process unless a crawl holds the lock
    insert(store, "crawl_runs", {"kind": "replay", "status": "running"})
    with crawl_lock(db):
        assert close_orphan_runs(db) == 0
    assert close_orphan_runs(db) == 1
    assert query(db, "SELECT status FROM crawl_runs ORDER BY id") == [
        ("interrupted",), ("running",)]   # a replay takes no lock: left alone


def test_run_figures_come_from_the_crawl_stats():
    figures = run_figures({
        "downloader/request_count": 14, "downloader/response_count": 13,
        "downloader/response_status_count/200": 12, "downloader/response_status_count/404": 1,
        "rasd/articles_new": 9, "rasd/articles_existing": 1, "rasd/matches/haftar": 4,
    })
    assert figures["requests"] == 14 and figures["responses"] == 13
    assert json.loads(figures["responses_by_status"]) == {"200": 12, "404": 1}
    assert figures["articles_new"] == 9 and figures["articles_duplicate"] == 1
    assert json.loads(figures["matches"]) == {"haftar": 4}


@pytest.mark.parametrize("text, seconds", [("90", 90), ("90s", 90), ("5m", 300),
                                           ("1.5h", 5400), ("1d", 86400)])
def test_durations(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["0", "-5m", "soon", "5 minutes", ""])
def test_bad_durations_say_what_is_expected(text):
    with pytest.raises(ValueError, match="is not a duration like 30s, 5m, 1h or 1d"):
        parse_duration(text)


def test_clock_times():
    assert parse_clock("07:00") == time(7, 0) and parse_clock("23:59:30") == time(23, 59, 30)
    with pytest.raises(ValueError, match="is not a time of day"):
        parse_clock("25:00")


def test_shard_crawls_run_side_by_side_but_never_beside_a_crawl_of_every_outlet(db):
    """The crawl lock is shared by shard crawls and exclusive for a crawl of every outlet:
    otherwise that crawl would download beside a shard's crawl of the same outlet, and the
    orphan check would close a live `rasd crawl --shard` run."""
    store = open_store(db)
    insert(store, "crawl_runs", {"kind": "news", "status": "running", "trigger": "manual"})
    with crawl_lock(db, (1, 2)), crawl_lock(db, (2, 2)):
        assert crawl_running(db) and close_orphan_runs(db) == 0
        with pytest.raises(LockHeld, match=r"another crawl of this database is running"):
            crawl_lock(db).acquire()
        with pytest.raises(LockHeld, match=r"another crawl of shard 1/2 of this database"):
            crawl_lock(db, (1, 2)).acquire()
    assert not crawl_running(db)
    with crawl_lock(db):
        with pytest.raises(LockHeld, match=r"another crawl of this database is running"):
            crawl_lock(db, (1, 2)).acquire()
        assert not is_held(crawl_lock_path(db, (1, 2)))   # a refused shard holds nothing
    assert close_orphan_runs(db) == 1
