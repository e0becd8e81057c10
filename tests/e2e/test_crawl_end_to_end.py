"""The whole spine against a real local outlet: feeds, sitemap, pages, the store (the two
tests about what is stored run on SQLite and on PostgreSQL)."""
from __future__ import annotations

import re

from tests.conftest import FAST, SEED_FILES, SEEDS, query, run_rasd, write_registry
from tests.support.seed_site import FURNITURE

NEGATIVES = sorted((SEEDS / "negatives").glob("*.txt"))
ARABIC_NEGATIVES = [p for p in NEGATIVES if p.stem != "english_libya"]


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def seed_paragraphs(path) -> list[str]:
    """The body lines of a seed that are real paragraphs (not lone dashes)."""
    _, _, text = path.read_text(encoding="utf-8").partition("\n")
    return [squash(line) for line in text.splitlines() if len(line.strip()) > 20]


def crawl(tmp_path, site, db, *extra):
    registry = write_registry(tmp_path / "sources.toml", site.base_url)
    return run_rasd("crawl", "--sources", str(registry), "--db", str(db), *FAST, *extra)


def test_crawl_stores_every_seed_with_both_topics_and_nothing_for_negatives(tmp_path, site,
                                                                           store_target):
    db = store_target
    result = crawl(tmp_path, site, db)
    assert "articles: 10 new" in result.stdout

    for seed in SEED_FILES:
        url = site.url(f"/news/2026/{seed.stem}.html")
        rows = query(db, "SELECT id, text, published_at, lang FROM articles WHERE url = ?", url)
        assert rows, f"{seed.name} was not stored"
        article_id, text, published_at, lang = rows[0]
        assert lang == "ar" and published_at.startswith("2026-11-")
        topics = {t for (t,) in query(db, "SELECT topic FROM matches WHERE article_id = ?",
                                       article_id)}
        assert topics >= {"africom", "haftar"}, seed.name
        stored = squash(text)
        for paragraph in seed_paragraphs(seed):
            assert paragraph in stored, f"{seed.name}: paragraph missing: {paragraph[:60]}"

    for negative in ARABIC_NEGATIVES:
        url = site.url(f"/news/2026/{negative.stem}.html")
        rows = query(db, "SELECT a.text, count(m.topic) FROM articles a "
                         "LEFT JOIN matches m ON m.article_id = a.id WHERE a.url = ? "
                         "GROUP BY a.id", url)
        assert rows, f"negative {negative.name} was not stored"
        text, match_count = rows[0]
        assert match_count == 0, f"negative {negative.name} matched"
        for paragraph in seed_paragraphs(negative):
            assert paragraph in squash(text)

    # the English page is dropped by the language stage, and remembered as processed
    english = site.url("/news/2026/english_libya.html")
    assert query(db, "SELECT count(*) FROM articles WHERE url = ?", english) == [(0,)]
    assert query(db, "SELECT count(*) FROM dropped_urls WHERE url = ?", english) == [(1,)]

    for (text,) in query(db, "SELECT text FROM articles"):
        for furniture in FURNITURE:
            assert furniture not in text, f"page furniture leaked: {furniture}"

    runs = query(db, "SELECT kind, status, articles_new FROM crawl_runs")
    assert runs == [("news", "ok", 10)]


def test_second_crawl_adds_and_downloads_nothing(tmp_path, site, store_target):
    db = store_target
    crawl(tmp_path, site, db)
    articles_before = query(db, "SELECT count(*) FROM articles")
    matches_before = query(db, "SELECT count(*) FROM matches")
    downloads_before = site.article_requests()
    assert downloads_before == 11

    second = crawl(tmp_path, site, db)
    assert "articles: 0 new" in second.stdout
    assert query(db, "SELECT count(*) FROM articles") == articles_before
    assert query(db, "SELECT count(*) FROM matches") == matches_before
    assert site.article_requests() == downloads_before


def test_dead_feed_and_malformed_xml_are_logged_and_the_crawl_completes(tmp_path, site, db):
    from rasd.devsite.server import Reply

    site.overrides["/rss.xml"] = Reply(500, b"internal error")
    site.overrides["/atom.xml"] = Reply(200, b"<feed><entry><title>broken", {
        "Content-Type": "application/atom+xml"})
    result = crawl(tmp_path, site, db)

    assert "/rss.xml" in result.stderr and "/atom.xml" in result.stderr
    assert "errors: 2 feed/sitemap failures" in result.stdout
    # the sitemap still lists every article
    assert query(db, "SELECT count(*) FROM articles") == [(10,)]
    assert query(db, "SELECT status FROM crawl_runs") == [("ok_with_errors",)]
