"""`rasd migrate` between a real SQLite file and a real PostgreSQL database (the test cluster):
the round trip keeps every row of every table, the commands read the same archive on both,
a non-empty target is refused, and an interrupted or failed copy leaves the target empty."""
from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from rasd.store.copy import TABLES
from rasd.store.database import open_store
from rasd.store.search import search
from rasd.text.search_query import parse_query
from tests.conftest import REPO, SEEDS, run_rasd
from tests.support.faults import run_with_fault

# one row in each table a replay leaves empty, so that every table is compared with content
EXTRA_ROWS = {
    "sources": {"slug": "libya-observer", "name": "ليبيا", "homepage": "https://lo.example/",
                "updated_at": "2026-11-20T10:00:00+00:00"},
    "listing_validators": {"url": "https://lo.example/feed", "etag": '"abc"',
                           "last_modified": "Fri, 20 Nov 2026 10:00:00 GMT",
                           "checked_at": "2026-11-20T10:00:00+00:00"},
    "url_claims": {"url": "https://lo.example/a/1", "source": "libya-observer", "run_id": 1,
                   "claimed_at": "2026-11-20T10:00:00+00:00"},
    "digests": {"day": "2026-11-19", "format": "html", "path": "/tmp/d.html",
                "written_at": "2026-11-20T06:00:00+00:00", "articles": 3},
    "alerts": {"topic": "haftar", "story_id": 1, "article_id": 1,
               "queued_at": "2026-11-20T10:00:00+00:00", "attempts": 2,
               "last_error": "smtp: 451"},
    "outlet_health": {"slug": "libya-observer", "consecutive_failures": 3,
                      "last_failure_at": "2026-11-20T10:00:00+00:00",
                      "next_attempt_at": "2026-11-20T12:00:00+00:00", "last_error": "timeout"},
    "scheduler_state": {"name": "crawl", "next_run_at": "2026-11-20T11:00:00+00:00",
                        "last_outcome": "ok", "pid": 4242},
}


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    """The seeds replayed into an SQLite file, plus a row in every table a replay leaves
    empty."""
    db = tmp_path_factory.mktemp("migrate") / "rasd.db"
    run_rasd("replay", str(SEEDS), str(SEEDS / "negatives"), "--db", str(db))
    with closing(sqlite3.connect(db)) as conn, conn:
        for table, row in EXTRA_ROWS.items():
            conn.execute(f"INSERT INTO {table} ({', '.join(row)}) "
                         f"VALUES ({', '.join('?' * len(row))})", list(row.values()))
    return db


def contents(db: str | Path) -> dict[str, list[dict]]:
    """Every row of every copied table, in primary key order, values as Python compares them."""
    store = open_store(db)
    return {table: [{k: bytes(v) if isinstance(v, memoryview) else v for k, v in row.items()}
                    for row in store.rows(f'SELECT * FROM "{table}" ORDER BY '
                                          + ", ".join(f'"{c}"' for c in key))]
            for table, key in TABLES.items()}


def migrate(source: str | Path, target: str | Path, check: bool = True):
    return run_rasd("migrate", "--from", str(source), "--to", str(target), check=check)


def test_a_round_trip_through_postgresql_keeps_every_row(archive, pg_url, tmp_path):
    before = contents(archive)
    assert all(before.values()), [t for t, rows in before.items() if not rows]
    result = migrate(archive, pg_url)
    assert contents(pg_url) == before
    assert "DIFFERS" not in result.stdout
    assert result.stdout.splitlines()[-1].startswith(
        f"copied {sum(map(len, before.values())):,} rows from {archive} to {pg_url}")
    back = tmp_path / "back.db"
    migrate(pg_url, back)
    assert contents(back) == before
    # the search index was written on both targets
    for db in (pg_url, back):
        assert {h.id for h in search(open_store(db), parse_query("حفتر"), limit=50)} == \
            {h.id for h in search(open_store(archive), parse_query("حفتر"), limit=50)}


def test_the_commands_read_the_same_archive_on_both(archive, pg_url, tmp_path):
    migrate(archive, pg_url)
    for command in (["matches", "--limit", "100"], ["articles", "--limit", "100"]):
        on_sqlite = run_rasd(*command, "--db", str(archive)).stdout
        assert on_sqlite and run_rasd(*command, "--db", pg_url).stdout == on_sqlite, command
    for words in ("حفتر OR الدبيبة", '"خليفة حفتر"', "أفريكوم NOT سرت"):
        # the same hits, snippets and highlights; ranks are bm25's and ts_rank's
        hits = [sorted(({**hit, "rank": None} for hit in json.loads(
                    run_rasd("search", words, "--json", "--limit", "50", "--db", db).stdout)),
                       key=lambda hit: hit["id"]) for db in (str(archive), pg_url)]
        assert hits[0] and hits[0] == hits[1], words
    statuses = [json.loads(run_rasd("status", "--json", "--db", db).stdout)
                for db in (str(archive), pg_url)]
    for status in statuses:
        del status["database"], status["size_bytes"]
    assert statuses[1].pop("queue")["ready"] is False   # a PostgreSQL store has a crawl queue
    assert statuses[0] == statuses[1] and statuses[0]["counts"]["articles"] == 10
    digests = []
    for name, db in (("sqlite", str(archive)), ("pg", pg_url)):
        out = tmp_path / f"{name}.md"
        run_rasd("digest", "--since", "2000-01-01", "--until", "2999-01-01", "--format",
                 "md", "--out", str(out), "--db", db)
        digests.append(out.read_text(encoding="utf-8"))
    assert digests[0] == digests[1] and "حفتر" in digests[0]


def test_new_ids_continue_after_the_copied_ones(archive, pg_url):
    migrate(archive, pg_url)
    store = open_store(pg_url)
    with store.transaction() as conn:
        new_id = conn.execute("INSERT INTO articles (url) VALUES (?) RETURNING id",
                              ["https://new.example/1"]).fetchone()[0]
    assert new_id == max(r["id"] for r in contents(archive)["articles"]) + 1


def test_a_target_that_is_not_empty_is_refused(archive, pg_url):
    migrate(archive, pg_url)
    before = contents(pg_url)
    result = migrate(archive, pg_url, check=False)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: ") and "not empty" in result.stderr
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
    assert contents(pg_url) == before


def test_a_migrate_killed_mid_copy_leaves_the_target_empty_and_can_be_run_again(archive,
                                                                                pg_url):
    # SIGKILL when the copy reads the matches: articles are already written, uncommitted
    killed = run_with_fault("kill-at-read:matches:1", "migrate", "--from", str(archive),
                            "--to", pg_url, cwd=REPO)
    assert killed.returncode == -9, killed.stderr
    assert not any(contents(pg_url).values())
    migrate(archive, pg_url)
    assert contents(pg_url) == contents(archive)


def test_a_killed_migrate_into_sqlite_leaves_the_file_empty(archive, tmp_path):
    target = tmp_path / "copy.db"
    killed = run_with_fault("kill-at:matches:1", "migrate", "--from", str(archive),
                            "--to", str(target), cwd=REPO)
    assert killed.returncode == -9, killed.stderr
    assert not any(contents(target).values())


def test_a_row_the_target_refuses_rolls_the_whole_copy_back(archive, pg_url, tmp_path):
    broken = tmp_path / "broken.db"
    with closing(sqlite3.connect(archive)) as conn, closing(sqlite3.connect(broken)) as copy:
        conn.backup(copy)
    with closing(sqlite3.connect(broken)) as conn, conn:   # foreign keys off: as old files
        conn.execute("INSERT INTO matches (article_id, topic, term) VALUES (9999, 'x', 'y')")
    result = migrate(broken, pg_url, check=False)
    assert result.returncode == 1 and len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("Error: ") and "copying matches" in result.stderr
    assert "nothing was copied" in result.stderr
    assert not any(contents(pg_url).values())
