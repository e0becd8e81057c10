"""Pages extracted by a pool of worker processes are stored exactly as extracted in-process."""
from __future__ import annotations

from tests.conftest import FAST, query, run_rasd, write_registry

ARTICLE = ("SELECT url, title, text, published_at, lang, author, site_name, encoding,"
           " fingerprint FROM articles ORDER BY url")
MATCHES = ("SELECT a.url, m.topic, m.term, m.count, m.position, m.snippet, m.form"
           " FROM matches m JOIN articles a ON a.id = m.article_id ORDER BY 1, 2, 3, 5")
LINKS = ("SELECT a.url, o.url FROM articles a LEFT JOIN articles o ON o.id = a.duplicate_of"
         " ORDER BY 1")


def stored(db) -> dict[str, object]:
    """What a crawl stored, without its row ids (which depend on the order pages arrive)."""
    stories = {}
    for url, story_id in query(db, "SELECT url, story_id FROM articles"):
        stories.setdefault(story_id, set()).add(url)
    return {"articles": query(db, ARTICLE), "matches": query(db, MATCHES),
            "links": query(db, LINKS), "stories": sorted(map(sorted, stories.values())),
            "dropped": query(db, "SELECT url, reason FROM dropped_urls ORDER BY url")}


def test_two_workers_store_what_one_process_stores(tmp_path, site):
    registry = write_registry(tmp_path / "sources.toml", site.base_url)
    results = {}
    for workers in (1, 2):
        db = tmp_path / f"workers-{workers}.db"
        result = run_rasd("crawl", "--sources", str(registry), "--db", str(db), *FAST,
                          "-s", f"RASD_WORKERS={workers}")
        assert "articles: 10 new" in result.stdout
        results[workers] = stored(db)
    assert results[2] == results[1]
    assert len(results[1]["articles"]) == 10 and results[1]["matches"]
