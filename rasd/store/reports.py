"""The reads behind `rasd matches`, `rasd articles` and `rasd status`."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rasd.store.database import Store


def recent_matches(store: Store, topic: str | None, limit: int) -> list[dict[str, Any]]:
    """Matches of the newest articles (published, else fetched), optionally of one topic."""
    where, params = ("WHERE m.topic = ?", [topic]) if topic else ("", [])
    return store.rows(
        f"""SELECT a.id AS article,
                   COALESCE(a.published_at, a.published_date, a.fetched_at) AS published,
                   a.source, m.topic, m.term, m.count, a.title, a.url, m.snippet
            FROM matches m JOIN articles a ON a.id = m.article_id {where}
            ORDER BY published DESC, a.id DESC, m.topic, m.term LIMIT ?""",
        [*params, limit])


def recent_articles(store: Store, source: str | None, limit: int) -> list[dict[str, Any]]:
    """The newest stored articles with their topics, duplicate and story links."""
    where, params = ("WHERE a.source = ?", [source]) if source else ("", [])
    return store.rows(
        f"""SELECT a.id, COALESCE(a.published_at, a.published_date, a.fetched_at) AS published,
                   a.source,
                   a.lang, length(a.text) AS chars,
                   (SELECT {store.group_concat("topic", distinct=True)} FROM matches
                    WHERE article_id = a.id) AS topics,
                   a.duplicate_of AS dup_of, a.story_id AS story, a.title, a.url
            FROM articles a {where}
            ORDER BY published DESC, a.id DESC LIMIT ?""", [*params, limit])


def recent_drops(store: Store, source: str | None, limit: int) -> list[dict[str, Any]]:
    """The URLs dropped most recently (not an article, not a kept language), and why."""
    where, params = ("WHERE source = ?", [source]) if source else ("", [])
    return store.rows(f"""SELECT dropped_at AS dropped, source, reason, url FROM dropped_urls
                          {where} ORDER BY dropped_at DESC, url LIMIT ?""", [*params, limit])


def table_counts(store: Store, tables: Sequence[str]) -> dict[str, int]:
    """Rows in each of the given tables."""
    return {t: store.value(f'SELECT count(*) FROM "{t}"') for t in tables}
