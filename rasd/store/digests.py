"""What the digest reads (matching articles of a period, their stories) and the `digests`
table that records each digest written."""
from __future__ import annotations

from collections import Counter
from typing import Any

from rasd.store import statements
from rasd.store.database import Store


def matching_articles(store: Store, start: str, end: str) -> list[dict[str, Any]]:
    """One row per match of every article fetched in [start, end): the article's columns
    with topic, term and snippet and the opening of its text, oldest article first, its
    strongest terms first."""
    return store.rows(
        """SELECT a.id, a.url, a.title, a.source,
                  COALESCE(a.published_at, a.published_date) AS published_at, a.fetched_at,
                  a.duplicate_of, a.story_id, substr(a.text, 1, 600) AS opening,
                  m.topic, m.term, m.snippet
           FROM matches m JOIN articles a ON a.id = m.article_id
           WHERE a.fetched_at >= ? AND a.fetched_at < ?
           ORDER BY a.fetched_at, a.id, m.topic, m.count DESC, m.term""", [start, end])


def stories(store: Store, ids: set[int]) -> dict[int, dict[str, Any]]:
    """Title and first_seen of the given stories, by id."""
    if not ids:
        return {}
    return {r["id"]: r for r in store.rows(
        f"SELECT id, title, first_seen FROM stories WHERE id IN ({','.join('?' * len(ids))})",
        sorted(ids))}


def topic_article_counts(store: Store, start: str, end: str) -> Counter[str]:
    """Distinct matching articles per topic among those fetched in [start, end)."""
    return Counter({r["topic"]: r["n"] for r in store.rows(
        """SELECT m.topic, count(DISTINCT a.id) AS n
           FROM matches m JOIN articles a ON a.id = m.article_id
           WHERE a.fetched_at >= ? AND a.fetched_at < ? GROUP BY m.topic""", [start, end])})


def topic_articles_fetched(store: Store, start: str, end: str) -> list[tuple[str, str]]:
    """(topic, fetched_at) once per matching article and topic, fetched in [start, end):
    the digest counts them per local day."""
    with store.read() as conn:
        rows = conn.execute(
            """SELECT DISTINCT m.topic, a.id, a.fetched_at
               FROM matches m JOIN articles a ON a.id = m.article_id
               WHERE a.fetched_at >= ? AND a.fetched_at < ?""", [start, end]).fetchall()
    return [(topic, fetched_at) for topic, _, fetched_at in rows]


def matching_article_count(store: Store, start: str, end: str) -> int:
    """Distinct matching articles among those fetched in [start, end)."""
    return store.value(
        """SELECT count(DISTINCT a.id) FROM matches m JOIN articles a ON a.id = m.article_id
           WHERE a.fetched_at >= ? AND a.fetched_at < ?""", [start, end])


def record_digest(store: Store, day: str, fmt: str, path: str, written_at: str,
                  articles: int) -> None:
    """Record a digest written (a rewrite of the same day and format replaces the record)."""
    with store.transaction() as conn:
        statements.upsert(conn, "digests", [{"day": day, "format": fmt, "path": path,
                                             "written_at": written_at, "articles": articles}],
                          key=("day", "format"))


def last_digest_day(store: Store, fmt: str) -> str | None:
    """The latest day (or period label) with a digest in `fmt`."""
    return store.value("SELECT max(day) FROM digests WHERE format = ?", [fmt])


def latest_digest(store: Store) -> dict[str, Any] | None:
    """The digest written last."""
    return store.row("SELECT * FROM digests ORDER BY written_at DESC, day DESC LIMIT 1")
