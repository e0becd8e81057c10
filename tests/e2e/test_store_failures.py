"""A write the database refuses stops the crawl with one line and a failed run; what was
committed stays, and the next crawl stores the rest, each article once with all its matches.

The faults are real: a tmpfs too small for the crawl (an SQLite page limit where the test
cannot mount one; on PostgreSQL the server's own `disk_full` error, raised by a trigger), and
a SIGKILL at a chosen insert inside a batch transaction (tests/support/faults.py). Every test
runs on a SQLite file and on a PostgreSQL database."""
from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from rasd.devsite.server import FixtureServer
from rasd.store.database import open_store
from rasd.text.watchlist import load_watchlist
from tests.conftest import REPO, SEEDS, execute, is_postgres, query, run_rasd
from tests.support.faults import run_with_fault
from tests.support.many_articles import serve_articles, write_many_registry
from tests.support.no_room import in_own_mount_namespace

ARTICLES = 120


@dataclass
class SmallDisk:
    """A folder on a disk of `kib` KiB: a tmpfs, or SQLite's page limit where mounting fails."""

    path: Path
    fault: str        # what `run_with_fault` needs for this disk
    mounted: bool

    def grow(self) -> None:
        """Give the disk room (as an operator freeing space would)."""
        if self.mounted:
            subprocess.run(["mount", "-o", "remount,size=64m", str(self.path)], check=True)
        self.fault = "none"


@contextmanager
def small_disk(tmp_path: Path, kib: int) -> Iterator[SmallDisk]:
    path = tmp_path / "disk"
    path.mkdir()
    try:
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={kib}k", "tmpfs", str(path)],
                       check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        yield SmallDisk(path, f"max-pages:{kib // 4}", mounted=False)   # 4 KiB pages
        return
    try:
        yield SmallDisk(path, "none", mounted=True)
    finally:
        subprocess.run(["umount", "-l", str(path)], check=True)


@dataclass
class FullDatabase:
    """A database that refuses writes once `limit` articles are stored, until `grow()`."""

    target: Path | str
    fault: str        # what `run_with_fault` needs for this database
    message: str      # what the database says when it is full
    disk: SmallDisk | None = None

    def grow(self) -> None:
        if self.disk is not None:
            self.disk.grow()
            self.fault = self.disk.fault
        else:
            execute(self.target, "DROP TRIGGER disk_fills ON articles")


@pytest.fixture
def full_database(request, tmp_path, store_target) -> Iterator[FullDatabase]:
    if not is_postgres(store_target):
        with small_disk(tmp_path, kib=1024) as disk:
            yield FullDatabase(disk.path / "rasd.db", disk.fault, "database or disk is full",
                               disk)
        return
    open_store(store_target)   # the schema, then a server whose disk fills at 35 articles
    execute(store_target,
            "CREATE FUNCTION disk_fills() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "IF (SELECT count(*) FROM articles) >= 35 THEN RAISE EXCEPTION "
            "'could not extend file: No space left on device' USING ERRCODE = 'disk_full'; "
            "END IF; RETURN NEW; END $$",
            "CREATE TRIGGER disk_fills BEFORE INSERT ON articles FOR EACH ROW "
            "EXECUTE FUNCTION disk_fills()")
    yield FullDatabase(store_target, "none", "No space left on device")


@pytest.fixture
def outlet(tmp_path):
    with FixtureServer(tmp_path) as server:
        serve_articles(server, ARTICLES)
        yield server, write_many_registry(tmp_path / "sources.toml", server)


def crawl(fault: str, registry: Path, db: Path | str, batch: int) -> subprocess.CompletedProcess:
    return run_with_fault(fault, "crawl", "--sources", str(registry), "--db", str(db),
                          "-s", f"RASD_STORE_BATCH={batch}", cwd=REPO)


def assert_every_article_once_with_all_its_matches(db: Path | str) -> int:
    """Each stored article has exactly the matches the watchlist finds in it; returns how
    many articles are stored."""
    watchlist = load_watchlist(None)
    rows = query(db, "SELECT id, url, title, text FROM articles")
    assert len({url for _, url, _, _ in rows}) == len(rows)
    for article_id, url, title, text in rows:
        stored = set(query(db, "SELECT topic, term FROM matches WHERE article_id = ?",
                           article_id))
        assert stored == {(m.topic, m.term) for m in watchlist.match_article(title, text)}, url
        assert stored, url   # every article of this outlet names حفتر
    return len(rows)


def test_a_full_disk_fails_the_crawl_in_one_line_and_loses_nothing_committed(
        outlet, full_database):
    server, registry = outlet
    db = full_database.target
    result = crawl(full_database.fault, registry, db, batch=10)

    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: crawl stopped"), result.stderr
    assert full_database.message in lines[0] and str(db) in lines[0]
    stored = assert_every_article_once_with_all_its_matches(db)
    assert 0 < stored < ARTICLES
    run, = query(db, "SELECT status, finish_reason, articles_new, error FROM crawl_runs")
    assert run[:3] == ("failed", "store_failed", stored)   # the true count
    assert full_database.message in run[3]
    assert f"articles: {stored} new" in result.stdout

    full_database.grow()
    again = crawl(full_database.fault, registry, db, batch=10)
    assert again.returncode == 0, again.stderr
    assert assert_every_article_once_with_all_its_matches(db) == ARTICLES
    if not is_postgres(db):   # a disk with room again: the next crawl holds its reserve
        assert Path(f"{db}-reserve").stat().st_size == 256 * 1024
    assert query(db, "SELECT status, articles_new FROM crawl_runs ORDER BY id") == [
        ("failed", stored), ("ok", ARTICLES - stored)]


def test_kill_9_inside_a_batch_then_a_recrawl_stores_every_article_once(outlet, store_target):
    server, registry = outlet
    db = store_target
    # killed at the 25th article insert: the second batch of 20, half-way through
    killed = crawl("kill-at:articles:25", registry, db, batch=20)
    assert killed.returncode == -9
    assert assert_every_article_once_with_all_its_matches(db) == 20
    assert query(db, "SELECT status FROM crawl_runs") == [("running",)]

    again = crawl("none", registry, db, batch=20)
    assert again.returncode == 0, again.stderr
    assert assert_every_article_once_with_all_its_matches(db) == ARTICLES
    # on SQLite the killed crawl's row is closed by the next crawl, which holds the crawl
    # lock; PostgreSQL's crawls take no lock (several workers share it): the row is left
    killed_run = "running" if is_postgres(db) else "interrupted"
    assert query(db, "SELECT status, articles_new FROM crawl_runs ORDER BY id") == [
        (killed_run, None), ("ok", ARTICLES - 20)]


def test_an_article_left_without_its_matches_is_matched_by_the_next_crawl(store_target):
    db = store_target
    run_rasd("replay", str(SEEDS), "--db", str(db))
    expected = query(db, "SELECT * FROM matches WHERE article_id = 2 ORDER BY topic, term")
    assert expected
    # what an older rasd left after a crash: the article committed, its matches not
    execute(db, "DELETE FROM matches WHERE article_id = 2",
            "UPDATE articles SET matched_at = NULL WHERE id = 2")

    result = run_rasd("replay", str(SEEDS / "negatives"), "--db", str(db))
    assert "repaired: 1 articles an earlier crawl stored without their matches" in result.stdout
    assert query(db, "SELECT * FROM matches WHERE article_id = 2 ORDER BY topic, term") == \
        expected
    assert query(db, "SELECT count(*) FROM articles WHERE matched_at IS NULL") == [(0,)]
    again = run_rasd("replay", str(SEEDS / "negatives"), "--db", str(db))
    assert "repaired" not in again.stdout


def test_a_disk_left_without_a_byte_still_records_the_end_of_the_run(tmp_path):
    """The crawl's reserve (RASD_STORE_RESERVE_KIB) is given back to record the failed run;
    without one the same full disk leaves the row `running`."""
    (tmp_path / "with").mkdir()
    (tmp_path / "without").mkdir()
    with_reserve = in_own_mount_namespace(tmp_path / "with", 256)
    assert with_reserve == {"held": True, "released": True, "status": "failed",
                            "articles_new": 40}
    without = in_own_mount_namespace(tmp_path / "without", 0)
    assert without["status"] == "running"
