"""A digest database: the seeds replayed for real, plus the rows the dedup stage and a hostile
outlet would add, all pinned to known days (the replay clock is replaced by fixed timestamps).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import sqlite_utils

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
    path: Path
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


def build(folder: Path) -> DigestDb:
    """Replay the five seeds and a hostile article, then add a duplicate, a story and more."""
    db_path = folder / "rasd.db"
    run_rasd("replay", str(SEEDS), str(_hostile_file(folder)), "--db", str(db_path))
    db = sqlite_utils.Database(db_path)
    db.execute("UPDATE articles SET fetched_at = ?", [FETCHED])
    ids = {r["url"].rsplit("/", 1)[1]: r["id"] for r in db.query("SELECT id, url FROM articles")}
    seed_ids = [ids[f.name] for f in SEED_FILES]
    original = seed_ids[0]

    def add(url: str, title: str, source: str, fetched: str, snippets: dict[tuple, str],
            **extra) -> int:
        article_id = db["articles"].insert(
            {"url": url, "title": title, "source": source, "text": "…", "lang": "ar",
             "fetched_at": fetched, "published_at": "2026-11-20T07:05:00+00:00", **extra}).last_pk
        db["matches"].insert_all({"article_id": article_id, "topic": topic, "term": term,
                                  "count": 1, "position": 0, "snippet": snippet}
                                 for (topic, term), snippet in snippets.items())
        return article_id

    copied = {(r["topic"], r["term"]): r["snippet"] for r in db.query(
        "SELECT topic, term, snippet FROM matches WHERE article_id = ?", [original])}
    title = db["articles"].get(original)["title"]
    duplicate = add(COPY_URL, title, "copycat", FETCHED, copied, duplicate_of=original)
    js = add(JS_URL, "مقال <b>غامق</b> عن حفتر", "evil", FETCHED,
             {("haftar", "حفتر"): '"><svg onload=alert(3)> حفتر'})
    quote = add(QUOTE_URL, "حفتر في بنغازي", "evil", PREVIOUS,
                {("haftar", "حفتر"): "استقبل حفتر وفدا"})
    db["sources"].upsert_all([{"slug": "copycat", "name": "الناسخ"},
                              {"slug": "evil", "name": "<i>منفذ</i> خبيث"}], pk="slug")
    story = db["stories"].insert({"title": STORY_TITLE, "first_seen": "2026-11-19T20:00:00+00:00",
                                  "last_seen": FETCHED, "articles": 2, "outlets": 1}).last_pk
    db.execute("UPDATE articles SET story_id = ? WHERE id IN (?, ?)", [story, *seed_ids[1:3]])
    db.conn.commit()
    db.close()
    return DigestDb(db_path, seed_ids, ids["hostile.txt"], duplicate, js, quote)
