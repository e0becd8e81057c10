"""User mistakes get one clear line on stderr, a non-zero exit, and lose nothing stored."""
from __future__ import annotations

import pytest

from tests.conftest import SEEDS, query, run_rasd


def assert_one_line_error(result, *needles: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


BAD_SOURCES = [
    ("missing", None, "file not found"),
    ("syntax", "[sources.x\nname = 1", "invalid TOML"),
    ("no-sources", "[other]\na = 1\n", "no [sources.<slug>] tables"),
    ("no-name", '[sources.x]\nhomepage = "https://x.example"\nfeeds = ["https://x.example/f"]',
     "[sources.x]: 'name' is required"),
    ("bad-scheme", '[sources.x]\nname = "x"\nhomepage = "https://x.example"\n'
                   'feeds = ["ftp://x.example/f"]', "not http(s)"),
    ("unknown-key", '[sources.x]\nname = "x"\nhomepage = "https://x.example"\n'
                    'feeds = ["https://x.example/f"]\nfeeds_url = 1', "unknown key(s) feeds_url"),
]


@pytest.mark.parametrize("name,content,message", BAD_SOURCES, ids=[b[0] for b in BAD_SOURCES])
def test_bad_sources_file(tmp_path, db, name, content, message):
    path = tmp_path / f"{name}.toml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = run_rasd("crawl", "--sources", str(path), "--db", str(db), check=False)
    assert_one_line_error(result, str(path), message)


BAD_WATCHLISTS = [
    ("missing", None, "file not found"),
    ("syntax", "[topics.x]\nterms = [", "invalid TOML"),
    ("empty-terms", "[topics.new_topic]\nterms = []\n", "[topics.new_topic]: 'terms'"),
    ("blank-term", '[topics.haftar]\nterms = ["حفتر", "  "]\n', "[topics.haftar]: every term"),
]


@pytest.mark.parametrize("name,content,message", BAD_WATCHLISTS,
                         ids=[b[0] for b in BAD_WATCHLISTS])
def test_bad_watchlist_file(tmp_path, db, name, content, message):
    path = tmp_path / f"{name}.toml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = run_rasd("replay", str(SEEDS), "--watchlist", str(path), "--db", str(db),
                      check=False)
    assert_one_line_error(result, str(path), message)


def test_bad_watchlist_loses_nothing_already_stored(tmp_path, store_target):
    db = store_target
    run_rasd("replay", str(SEEDS), "--db", str(db))
    before = query(db, "SELECT * FROM matches ORDER BY article_id, topic, term")
    bad = tmp_path / "bad.toml"
    bad.write_text("[topics.x]\nterms = 3\n", encoding="utf-8")
    result = run_rasd("replay", str(SEEDS), "--watchlist", str(bad), "--db", str(db),
                      check=False)
    assert_one_line_error(result, str(bad))
    assert query(db, "SELECT * FROM matches ORDER BY article_id, topic, term") == before


def test_a_file_that_is_not_a_database(tmp_path):
    notes = tmp_path / "notes.db"
    notes.write_bytes(b"these are my notes, not SQLite" * 100)
    result = run_rasd("matches", "--db", str(notes), check=False)
    assert_one_line_error(result, str(notes), "cannot open database")
    assert notes.read_bytes() == b"these are my notes, not SQLite" * 100


def test_replay_of_an_empty_folder(tmp_path, db):
    result = run_rasd("replay", str(tmp_path), "--db", str(db), check=False)
    assert_one_line_error(result, "no .txt or .html files")


@pytest.mark.parametrize("setting,option", [("RASD_SOURCES", "--sources"), ("RASD_DB", "--db")])
def test_a_setting_that_has_its_own_option_is_refused_in_s(db, setting, option):
    result = run_rasd("crawl", "-s", f"{setting}=x.toml", "--db", str(db), check=False)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"set {setting} with {option}" in result.stderr
