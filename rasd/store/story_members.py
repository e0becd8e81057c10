"""What story grouping reads: the original articles placed within a story window.

Duplicates are left out: a copy would count its words twice in a story's core.
"""
from __future__ import annotations

from rasd.store.database import Store


def window_members(store: Store, low: str, high: str) -> list[tuple[int, int]]:
    """(id, story id) of the originals placed in [low, high] that have a story."""
    with store.read() as conn:
        return [tuple(r) for r in conn.execute(
            "SELECT a.id, a.story_id FROM article_signatures s"
            " JOIN articles a ON a.id = s.article_id"
            " WHERE s.story_time BETWEEN ? AND ? AND a.duplicate_of IS NULL"
            " AND a.story_id IS NOT NULL", [low, high]).fetchall()]


def titles_and_texts(store: Store, ids: list[int]) -> dict[int, tuple[str, str]]:
    """Title and text of the given articles, by id."""
    if not ids:
        return {}
    with store.read() as conn:
        return {r[0]: (r[1] or "", r[2] or "") for r in conn.execute(
            f"SELECT id, title, text FROM articles WHERE id IN ({','.join('?' * len(ids))})",
            ids).fetchall()}
