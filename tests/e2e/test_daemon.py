"""The daemon (`rasd run`) as a real process against a real, deliberately slow, local outlet.

Schedules are seconds long; the tests wait on conditions (rows in crawl_runs, the lock being
held, a line in the log) with generous deadlines, never on fixed sleeps, and an outlet that
must hang holds its answers until the test releases them, so no assertion depends on how fast
this machine is.

SQLite only: these are about the daemon's schedule, lock and child processes (a slow test
each); the store state they record is tested on both backends in tests/unit/test_daemon_units
and test_store_backends, and `rasd run` on PostgreSQL (queued shard jobs) in the worker tests.
"""
from __future__ import annotations

import json
import os
import signal
from datetime import datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import feedparser
import pytest

from rasd.daemon.lock import crawl_lock, crawl_lock_path, daemon_lock_path, is_held
from rasd.text.watchlist import load_watchlist
from tests.conftest import FAST, SEEDS, SITE, query, run_rasd, write_registry
from tests.support.daemon import Daemon, SlowFixtureServer, rows, wait_for


def is_seed_page(path: str) -> bool:
    return path.startswith("/news/2026/00")


def is_negative_page(path: str) -> bool:
    return path.startswith("/news/") and not is_seed_page(path)


@pytest.fixture
def slow_site():
    with SlowFixtureServer(SITE, delay=0) as server:
        yield server


def daemon_args(tmp_path, server, *extra: str) -> list[str]:
    registry = write_registry(tmp_path / "sources.toml", server.base_url)
    return ["--sources", str(registry), *FAST, *extra]


def finished_runs(db) -> list[tuple]:
    return rows(db, "SELECT id, status, started_at, finished_at, articles_new, matches, error,"
                     " exit_code FROM crawl_runs WHERE status != 'running' ORDER BY id")


def consistent(db) -> bool:
    return (query(db, "PRAGMA integrity_check") == [("ok",)]
            and query(db, "PRAGMA foreign_key_check") == []
            and query(db, "SELECT count(*) FROM matches WHERE article_id NOT IN "
                          "(SELECT id FROM articles)") == [(0,)])


def test_scheduled_crawls_are_recorded_and_never_overlap(tmp_path, slow_site, db):
    slow_site.hold()   # the first crawl hangs until the test has seen it refuse the others
    with Daemon(tmp_path, db, "--every", "1s",
                *daemon_args(tmp_path, slow_site)) as daemon:
        wait_for(lambda: is_held(crawl_lock_path(db)) and slow_site.requests,
                 "the first crawl to be under way", daemon=daemon)
        manual = run_rasd("crawl", "--db", str(db), "--sources", str(tmp_path / "sources.toml"),
                          *FAST, check=False)
        wait_for(lambda: "maximum number of running instances reached" in daemon.output(),
                 "the 1 s schedule to fire during the first crawl", daemon=daemon)
        slow_site.release()
        runs = wait_for(lambda: len(finished_runs(db)) >= 3 and finished_runs(db),
                        "three finished crawls", timeout=180, daemon=daemon)
        assert daemon.stop() == 0

    assert manual.returncode == 75, manual.stderr
    assert "another crawl of this database is running" in manual.stderr
    assert all(status == "ok" for _, status, *_ in runs), runs
    first = runs[0]
    per_topic = dict(rows(db, "SELECT topic, count(DISTINCT article_id) FROM matches "
                              "GROUP BY topic"))
    assert per_topic["africom"] == 5 and per_topic["haftar"] == 5
    assert first[4] == 10 and json.loads(first[5]) == per_topic
    assert sum(run[4] for run in runs) == 10   # later crawls find nothing new
    for earlier, later in zip(runs, runs[1:]):
        assert later[2] >= earlier[3], f"run {later[0]} started before run {earlier[0]} ended"
    # the 1 s schedule did fire while a crawl was running, and was refused
    assert "maximum number of running instances reached" in daemon.output()
    assert query(db, "SELECT count(*) FROM crawl_runs WHERE trigger = 'manual'") == [(0,)]
    assert (tmp_path / "rasd.log").read_text(encoding="utf-8").count("ended: ok") >= 3


def test_second_daemon_is_refused_and_status_reports_the_first(tmp_path, site, db):
    with Daemon(tmp_path, db, "--every", "1h", *daemon_args(tmp_path, site)) as first:
        wait_for(lambda: rows(db, "SELECT status FROM crawl_runs") == [("ok",)],
                 "the catch-up crawl on start", daemon=first)
        second = run_rasd("run", "--db", str(db), "--log-file", str(tmp_path / "second.log"),
                          cwd=tmp_path, check=False)
        status = run_rasd("status", "--db", str(db)).stdout
        status_json = json.loads(run_rasd("status", "--db", str(db), "--json").stdout)
        assert first.proc.poll() is None, "the first daemon must keep running"
        assert first.stop() == 0

    assert second.returncode == 1
    assert "Error: another rasd daemon for this database is running" in second.stderr
    assert f"pid {first.pid}" in second.stderr and "not starting" in second.stderr
    assert "Traceback" not in second.stderr
    assert f"daemon: running (pid {first.pid} since" in status
    assert "10 articles" in status and "africom:5" in status and "haftar:5" in status
    # the next crawl is an hour after the one made on start: that one was scheduled after the
    # daemon started and began at or after its time (next_run_at is to the second)
    started = datetime.fromisoformat(status_json["runs"][0]["started_at"])
    next_crawl = datetime.fromisoformat(status_json["jobs"]["crawl"]["next_run_at"])
    (daemon_started,), = query(db, "SELECT started_at FROM scheduler_state WHERE name = 'daemon'")
    earliest = datetime.fromisoformat(daemon_started).replace(microsecond=0)
    assert earliest + timedelta(hours=1) <= next_crawl <= started + timedelta(hours=1)
    assert status_json["jobs"]["digest"]["next_run_at"].endswith(":00:00+00:00")
    assert not is_held(daemon_lock_path(db))
    after = run_rasd("status", "--db", str(db)).stdout
    assert "daemon: not running" in after and "(daemon stopped)" in after


def test_a_scheduled_crawl_that_finds_another_crawl_running_is_skipped(tmp_path, site, db):
    with crawl_lock(db), Daemon(tmp_path, db, "--every", "1h",
                                *daemon_args(tmp_path, site)) as daemon:
        runs = wait_for(lambda: finished_runs(db), "the refused crawl", daemon=daemon)
        assert daemon.proc.poll() is None
        assert daemon.stop() == 0

    (_, status, *_rest, error, exit_code), = runs
    assert status == "skipped" and exit_code == 75
    assert "another crawl of this database is running" in error
    assert not site.requests


def test_sigterm_during_a_crawl_interrupts_it_cleanly_and_the_next_crawl_continues(
        tmp_path, slow_site, db):
    slow_site.slow = is_negative_page   # the seed articles come at once, the rest slowly
    slow_site.delay = 3.0
    one_at_a_time = ["-s", "CONCURRENT_REQUESTS=1", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1",
                     "-s", "RASD_STORE_BATCH=1"]
    with Daemon(tmp_path, db, "--every", "1h", "--stop-grace", "15s",
                *daemon_args(tmp_path, slow_site, *one_at_a_time)) as daemon:
        wait_for(lambda: rows(db, "SELECT count(*) FROM articles") >= [(1,)],
                 "a first article to be stored", daemon=daemon)
        assert daemon.stop(signal.SIGTERM) == 0
        output = daemon.output()

    assert "received SIGTERM" in output and "daemon stopped" in output
    (status, finished, error), = query(db, "SELECT status, finished_at, error FROM crawl_runs")
    assert status == "interrupted" and finished
    assert consistent(db)
    stored = query(db, "SELECT count(*) FROM articles")[0][0]
    assert 1 <= stored < 10   # the article being fetched was finished; the rest is left
    assert query(db, "SELECT last_outcome FROM scheduler_state WHERE name = 'daemon'") == [
        ("stopped",)]
    assert not is_held(crawl_lock_path(db))

    slow_site.delay = 0
    kept = [urlsplit(url).path for (url,) in query(db, "SELECT url FROM articles")]
    before = dict(slow_site.requests)
    nxt = run_rasd("crawl", "--db", str(db), "--sources", str(tmp_path / "sources.toml"), *FAST)
    assert f"articles: {10 - stored} new" in nxt.stdout
    assert query(db, "SELECT count(*), count(DISTINCT url) FROM articles") == [(10, 10)]
    assert all(slow_site.requests[path] == before[path] for path in kept), \
        "the next crawl downloaded again an article the interrupted one had stored"


def test_a_crashed_crawl_is_recorded_and_the_next_one_runs(tmp_path, slow_site, db):
    slow_site.slow = is_seed_page
    slow_site.hold()   # the first crawl hangs on the seed pages until it is killed
    with Daemon(tmp_path, db, "--every", "1s", *daemon_args(tmp_path, slow_site)) as daemon:
        pid = wait_for(lambda: is_held(crawl_lock_path(db)) and rows(
            db, "SELECT pid FROM crawl_runs WHERE status = 'running' AND pid IS NOT NULL"),
            "a crawl process", daemon=daemon)[0][0]
        wait_for(lambda: slow_site.article_requests(), "article downloads", daemon=daemon)
        os.kill(pid, signal.SIGKILL)   # as the OOM killer would
        slow_site.release()
        runs = wait_for(lambda: [r for r in finished_runs(db) if r[1] == "ok"] and
                        finished_runs(db), "a crawl after the crash", daemon=daemon)
        assert daemon.proc.poll() is None, "the daemon must carry on"
        assert daemon.stop() == 0

    crashed = runs[0]
    assert crashed[1] == "failed" and crashed[7] == -signal.SIGKILL
    assert "killed by signal 9" in crashed[6]
    assert [r[1] for r in runs[1:]][-1] == "ok"
    assert query(db, "SELECT count(*) FROM articles") == [(10,)]
    assert consistent(db)


def test_a_crawl_over_its_time_limit_is_stopped_and_recorded_as_timed_out(
        tmp_path, slow_site, db):
    slow_site.slow = is_seed_page
    slow_site.hold()   # the seed pages are never answered: only the time limit ends the crawl
    with Daemon(tmp_path, db, "--every", "1h", "--crawl-timeout", "3s", "--stop-grace", "1s",
                *daemon_args(tmp_path, slow_site)) as daemon:
        runs = wait_for(lambda: finished_runs(db), "the crawl to be stopped", daemon=daemon)
        assert daemon.proc.poll() is None
        assert daemon.stop() == 0
        # stopped while the outlet still held every seed page, not when they came
        assert not rows(db, "SELECT url FROM articles WHERE url LIKE '%/news/2026/00%'")

    (_, status, started, finished, *_rest, error, _), = runs
    assert status == "timed_out" and "3s time limit" in error
    took = datetime.fromisoformat(finished) - datetime.fromisoformat(started)
    assert took >= timedelta(seconds=3)
    assert consistent(db)


def test_a_digest_missed_while_down_is_written_on_start(tmp_path, site, db):
    run_rasd("replay", str(SEEDS), "--db", str(db))
    fetched = query(db, "SELECT min(fetched_at) FROM articles")[0][0]
    tz = ZoneInfo("Africa/Tripoli")
    day = datetime.fromisoformat(fetched).astimezone(tz).date()
    now = datetime.combine(day + timedelta(days=1), time(8, 0), tz)   # after 07:00 next day
    with Daemon(tmp_path, db, "--every", "1h", "--now", now.isoformat(),
                *daemon_args(tmp_path, site)) as daemon:
        written = wait_for(lambda: rows(db, "SELECT day, path, articles FROM digests"),
                        "the missed digest", daemon=daemon)
        assert daemon.stop() == 0

    assert written == [(day.isoformat(), f"digests/{day.isoformat()}.html", 5)]
    text = (tmp_path / "digests" / f"{day.isoformat()}.html").read_text(encoding="utf-8")
    assert "لقاء عسكري.. المشير حفتر يستقبل قائد أفريكوم أندرسون والسفير الأمريكي" in text
    status = run_rasd("status", "--db", str(db)).stdout
    assert f"last digest: {day.isoformat()} (html, 5 matching articles)" in status
    # and one Atom feed per watchlist topic, at a stable address, for feed readers
    feeds = tmp_path / "digests" / "feeds"
    assert sorted(p.stem for p in feeds.iterdir()) == sorted(load_watchlist().specs)
    haftar = feedparser.parse((feeds / "haftar.atom").read_text(encoding="utf-8"))
    assert not haftar.bozo and haftar.feed.title.endswith("خليفة حفتر وأبناؤه")
    assert len(haftar.entries) >= 1 and all(
        [t.term for t in e.tags] == ["haftar"] for e in haftar.entries)
