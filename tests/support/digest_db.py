"""A digest database: the seeds replayed for real, plus the rows the dedup stage and a hostile
outlet would add, all pinned to known days (the replay clock is replaced by fixed timestamps).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rasd.store import statements
from rasd.store.database import open_store
from tests.conftest import SEED_FILES, SEEDS, run_rasd

DAY = date(2026, 11, 20)
TZ = "Africa/Tripoli"                      # UTC+2: 09:30 UTC is 11:30 local
FETCHED = "2026-11-20T09:30:00+00:00"
PREVIOUS = "2026-11-19T12:00:00+00:00"
HOSTILE_TITLE = "<script>alert(1)</script> حفتر <img src=x onerror=alert(1)>"
HOSTILE_SNIPPET_BIT = "<img src=x onerror=alert(1)>"
JS_URL = "javascript:alert(document.cookie)"
QUOTE_URL = 'https://outlet.example/a?q="><script>alert(2)</script>'
COPY_URL = "https://copy.example/news/1"
STORY_TITLE = "قصة مشتركة عن زيارة أفريكوم"


@dataclass
class DigestDb:
    path: Path | str          # a SQLite file or a postgresql:// URL
    seed_ids: list[int]       # in seed file order
    hostile_id: int
    duplicate_id: int
    js_id: int
    quote_id: int


def seed_titles() -> list[str]:
    return [f.read_text(encoding="utf-8").splitlines()[0].strip() for f in SEED_FILES]


def _hostile_file(folder: Path) -> Path:
    body = ("قال مصدر عسكري إن المشير خليفة حفتر " + HOSTILE_SNIPPET_BIT +
            " استقبل وفداً رسمياً في مدينة بنغازي لبحث ملفات التعاون الأمني والعسكري. " * 4)
    path = folder / "hostile.txt"
    path.write_text(HOSTILE_TITLE + "\n\n" + body + "\n", encoding="utf-8")
    return path


def build(folder: Path, target: Path | str | None = None) -> DigestDb:
    """Replay the five seeds and a hostile article into `target` (default: a SQLite file in
    `folder`), then add a duplicate, a story and more, through the store (either backend)."""
    db_path = target or folder / "rasd.db"
    run_rasd("replay", str(SEEDS), str(_hostile_file(folder)), "--db", str(db_path))
    store = open_store(db_path)
    store.write("UPDATE articles SET fetched_at = ?", [FETCHED])
    ids = {r["url"].rsplit("/", 1)[1]: r["id"] for r in store.rows("SELECT id, url FROM articles")}
    seed_ids = [ids[f.name] for f in SEED_FILES]
    original = seed_ids[0]

    def add(url: str, title: str, source: str, fetched: str, snippets: dict[tuple, str],
            **extra) -> int:
        with store.transaction() as conn:
            article_id = statements.insert_id(conn, "articles", {
                "url": url, "title": title, "source": source, "text": "…", "lang": "ar",
                "fetched_at": fetched, "published_at": "2026-11-20T07:05:00+00:00", **extra})
            for (topic, term), snippet in snippets.items():
                statements.insert(conn, "matches", {
                    "article_id": article_id, "topic": topic, "term": term, "count": 1,
                    "position": 0, "snippet": snippet})
        return article_id

    copied = {(r["topic"], r["term"]): r["snippet"] for r in store.rows(
        "SELECT topic, term, snippet FROM matches WHERE article_id = ?", [original])}
    title = store.value("SELECT title FROM articles WHERE id = ?", [original])
    duplicate = add(COPY_URL, title, "copycat", FETCHED, copied, duplicate_of=original)
    js = add(JS_URL, "مقال <b>غامق</b> عن حفتر", "evil", FETCHED,
             {("haftar", "حفتر"): '"><svg onload=alert(3)> حفتر'})
    quote = add(QUOTE_URL, "حفتر في بنغازي", "evil", PREVIOUS,
                {("haftar", "حفتر"): "استقبل حفتر وفدا"})
    with store.transaction() as conn:
        statements.upsert(conn, "sources", [{"slug": "copycat", "name": "الناسخ"},
                                            {"slug": "evil", "name": "<i>منفذ</i> خبيث"}],
                          key=("slug",))
        story = statements.insert_id(conn, "stories", {
            "title": STORY_TITLE, "first_seen": "2026-11-19T20:00:00+00:00",
            "last_seen": FETCHED, "articles": 2, "outlets": 1})
        conn.execute("UPDATE articles SET story_id = ? WHERE id IN (?, ?)",
                     [story, *seed_ids[1:3]])
    return DigestDb(db_path, seed_ids, ids["hostile.txt"], duplicate, js, quote)
