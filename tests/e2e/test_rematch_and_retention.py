"""`rasd match`, `rasd rematch` and retention, on the real CLI; every test that stores runs
on a SQLite file and on a PostgreSQL database (`db` below)."""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from crawler.seen import SeenUrls
from rasd.store.database import open_store
from rasd.store.retention import prune_unmatched_text
from tests.conftest import SEED_FILES, SEEDS, execute, query, run_rasd
from tests.e2e.test_bad_input import assert_one_line_error

BOOKFAIR = SEEDS / "negatives" / "culture_bookfair.txt"


@pytest.fixture
def db(store_target):
    """The database of a test: each runs on both backends."""
    return store_target


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_match_reads_files_and_stdin(tmp_path):
    result = run_rasd("match", str(SEED_FILES[2]), str(SEEDS / "negatives" / "sport_league.txt"))
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{SEED_FILES[2]}: ") and "haftar" in lines[0]
    assert any(line.startswith("  haftar / حفتر: 9 hit(s), first at") for line in lines)
    assert lines[-1] == f"{SEEDS / 'negatives' / 'sport_league.txt'}: no match"

    term = write(tmp_path / "w.toml", '[topics.fair]\nterms = ["معرض الشارقة"]\n')
    piped = run_rasd("match", "--watchlist", str(term),
                     stdin="زار «وبمعرض\nالشارقة» أمس\n").stdout
    assert piped.splitlines() == [
        "<stdin>: 1 topic(s): fair",
        "  fair / معرض الشارقة: 1 hit(s), first at 5 as «وبمعرض الشارقة»",
        "    زار «وبمعرض الشارقة» أمس"]


def test_match_errors_are_one_line(tmp_path):
    bad = write(tmp_path / "bad.toml", '[topics.fair]\nterms = ["x"]\nexact = true\n')
    assert_one_line_error(run_rasd("match", "--watchlist", str(bad), str(BOOKFAIR),
                                   check=False), str(bad), "[topics.fair]: unknown key(s) exact")
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("café".encode("latin-1"))
    assert_one_line_error(run_rasd("match", str(latin1), check=False), "not UTF-8 text")


def test_rematch_finds_past_articles_and_drops_removed_terms(tmp_path, db):
    haftar = write(tmp_path / "haftar.toml",   # replace = true: the whole watchlist
                   'replace = true\n[topics.haftar]\nterms = ["حفتر"]\n')
    run_rasd("replay", str(SEEDS), str(SEEDS / "negatives"), "--watchlist", str(haftar),
             "--db", str(db))
    stored = query(db, "SELECT * FROM matches ORDER BY article_id, topic, term")
    assert {row[1] for row in stored} == {"haftar"} and len(stored) == 5

    same = run_rasd("rematch", "--watchlist", str(haftar), "--db", str(db))
    assert "articles: 10 rematched, 0 without text" in same.stdout
    assert "matches: 0 added, 0 removed, 0 updated, 5 unchanged" in same.stdout
    assert query(db, "SELECT * FROM matches ORDER BY article_id, topic, term") == stored

    fair = write(tmp_path / "fair.toml",
                 'replace = true\n[topics.fair]\nterms = ["معرض الشارقة"]\n')
    future = run_rasd("rematch", "--since", "2999-01-01", "--watchlist", str(fair),
                      "--db", str(db))
    assert "articles: 0 rematched" in future.stdout
    assert query(db, "SELECT * FROM matches ORDER BY article_id, topic, term") == stored

    changed = run_rasd("rematch", "--since", "2000-01-01", "--watchlist", str(fair),
                       "--db", str(db))
    assert "matches: 1 added, 5 removed, 0 updated, 0 unchanged" in changed.stdout
    assert "topics: fair 1" in changed.stdout
    rows = query(db, "SELECT a.url, m.topic, m.term, m.count, m.form FROM matches m "
                     "JOIN articles a ON a.id = m.article_id")
    assert rows == [(BOOKFAIR.as_uri(), "fair", "معرض الشارقة", 2, "معرض الشارقة")]


def test_rematch_with_a_bad_watchlist_changes_nothing(tmp_path, db):
    run_rasd("replay", str(SEED_FILES[0]), "--db", str(db))
    before = query(db, "SELECT * FROM matches ORDER BY topic, term")
    bad = write(tmp_path / "bad.toml", '[topics.x]\nterms = ["a"]\nrequires = [[]]\n')
    assert_one_line_error(run_rasd("rematch", "--watchlist", str(bad), "--db", str(db),
                                   check=False), str(bad), "[topics.x]: 'requires'")
    assert query(db, "SELECT * FROM matches ORDER BY topic, term") == before


def test_retention_prunes_only_old_unmatched_text_and_keeps_url_and_hash(db):
    run_rasd("replay", str(SEEDS), str(SEEDS / "negatives"), "--db", str(db))
    fetched = datetime.fromisoformat(query(db, "SELECT max(fetched_at) FROM articles")[0][0])
    texts = dict(query(db, "SELECT url, text FROM articles"))
    database = open_store(db)
    assert prune_unmatched_text(database, fetched + timedelta(days=29), 30) == 0
    assert prune_unmatched_text(database, fetched + timedelta(days=31), 0) == 0
    assert prune_unmatched_text(database, fetched + timedelta(days=31), 30) == 5
    assert prune_unmatched_text(database, fetched + timedelta(days=32), 30) == 0
    rows = query(db, "SELECT a.url, a.text, a.text_sha256, a.text_pruned_at, "
                     "(SELECT count(*) FROM matches WHERE article_id = a.id) FROM articles a")
    for url, text, sha, pruned_at, match_count in rows:
        if match_count:
            assert text == texts[url] and sha is None and pruned_at is None
        else:
            assert text is None and "negatives" in url
            assert sha == hashlib.sha256(texts[url].encode()).hexdigest()
            assert pruned_at.startswith((fetched + timedelta(days=31)).date().isoformat())
    seen = SeenUrls(database)
    assert all(url in seen for url in texts)   # pruned articles are never fetched again
    database.close()

    result = run_rasd("rematch", "--db", str(db))
    assert "articles: 5 rematched, 5 without text (pruned) left alone" in result.stdout


def test_prune_command(db):
    run_rasd("replay", str(BOOKFAIR), "--db", str(db))
    kept = run_rasd("prune", "--db", str(db))
    assert kept.stdout.startswith("pruned the text of 0 article(s) that matched nothing")
    off = run_rasd("prune", "--db", str(db), env={"RASD_RETENTION_DAYS": "0"})
    assert off.stdout.strip() == "retention is off (--days 0): every text is kept"
    execute(db, "UPDATE articles SET fetched_at = '2000-01-01T00:00:00+00:00'")
    pruned = run_rasd("prune", "--days", "30", "--db", str(db))
    assert pruned.stdout.startswith("pruned the text of 1 article(s)")
    assert query(db, "SELECT text IS NULL, url FROM articles") == [(1, BOOKFAIR.as_uri())]
