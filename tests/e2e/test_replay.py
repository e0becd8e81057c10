"""`rasd replay`: local files through the same pipelines, with no network; every test on a
SQLite file and on a PostgreSQL database (`db` below)."""
from __future__ import annotations

from collections import defaultdict

import pytest

from tests.conftest import SEED_FILES, SEEDS, query, run_rasd
from tests.e2e.test_crawl_end_to_end import seed_paragraphs, squash
from tests.support.seed_site import SITE, articles, render_page


@pytest.fixture
def db(store_target):
    """The database of a test: each runs on both backends."""
    return store_target


def test_replay_seeds_folder_stores_the_five_seeds_with_both_topics(db):
    result = run_rasd("replay", str(SEEDS), "--db", str(db))
    assert "articles: 5 new" in result.stdout
    topics = defaultdict(set)
    for url, topic in query(db, "SELECT a.url, m.topic FROM articles a "
                                "JOIN matches m ON m.article_id = a.id"):
        topics[url].add(topic)
    assert sorted(topics) == [p.as_uri() for p in SEED_FILES]
    assert all(found >= {"africom", "haftar"} for found in topics.values())
    title, = query(db, "SELECT title FROM articles WHERE url = ?", SEED_FILES[2].as_uri())[0]
    assert title == SEED_FILES[2].read_text(encoding="utf-8").splitlines()[0]


def test_replaying_again_stores_nothing_twice(db):
    run_rasd("replay", str(SEEDS), "--db", str(db))
    matches = query(db, "SELECT * FROM matches ORDER BY article_id, topic, term")
    again = run_rasd("replay", str(SEEDS), "--db", str(db))
    assert "articles: 0 new, 5 already stored" in again.stdout
    assert query(db, "SELECT count(*) FROM articles") == [(5,)]
    assert query(db, "SELECT * FROM matches ORDER BY article_id, topic, term") == matches


def test_replay_negatives_match_nothing_and_english_is_dropped(db):
    result = run_rasd("replay", str(SEEDS / "negatives"), "--db", str(db))
    assert "articles: 5 new" in result.stdout and "1 dropped" in result.stdout
    assert query(db, "SELECT count(*) FROM matches") == [(0,)]
    assert query(db, "SELECT lang, count(*) FROM articles GROUP BY lang") == [("ar", 5)]


def test_windows_1256_page_without_declared_charset_is_extracted(tmp_path, db):
    article = articles()[2]
    page = render_page(article, 0).replace('<meta charset="utf-8">', "")
    path = tmp_path / "cp1256.html"
    path.write_bytes(page.encode("cp1256"))
    assert b"charset" not in path.read_bytes()

    run_rasd("replay", str(path), "--db", str(db))
    text, encoding, title = query(db, "SELECT text, encoding, title FROM articles")[0]
    assert encoding == "cp1256"
    assert title == article.title
    for paragraph in seed_paragraphs(SEED_FILES[2]):
        assert paragraph in squash(text)


def test_html_pages_of_the_fixture_site_replay_like_a_crawl(db):
    page = SITE / "news" / "2026" / f"{SEED_FILES[0].stem}.html"
    run_rasd("replay", str(page), "--db", str(db))
    published, = query(db, "SELECT published_at FROM articles")[0]
    assert published == articles()[0].published.isoformat()
    topics = {t for (t,) in query(db, "SELECT topic FROM matches")}
    assert topics >= {"africom", "haftar"}


def test_articles_lists_the_duplicate_link_and_story(db):
    import json

    page = SITE / "news" / "2026" / f"{SEED_FILES[0].stem}.html"
    run_rasd("replay", str(SEEDS), str(page), "--db", str(db))
    listed = {row["url"]: row for row in json.loads(
        run_rasd("articles", "--json", "--db", str(db)).stdout)}
    original, copy = listed[SEED_FILES[0].as_uri()], listed[page.as_uri()]
    assert original["dup_of"] is None and copy["dup_of"] == original["id"]
    assert copy["story"] == original["story"] is not None
