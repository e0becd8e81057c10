"""What story grouping reads: the original articles placed within a story window.

Duplicates are left out: a copy would count its words twice in a story's core.
"""
from __future__ import annotations

from rasd.store.database import Store


def window_members(store: Store, low: str, high: str) -> list[tuple[int, int, str]]:
    """(id, story id, story time) of the originals placed in [low, high] that have a story."""
    return _originals(store, "s.story_time BETWEEN ? AND ?", [low, high])


def members_after(store: Store, after_id: int) -> list[tuple[int, int, str]]:
    """The same of the originals stored after article `after_id`, wherever they are placed:
    what other processes added since (a range of the primary key, not of the window)."""
    return _originals(store, "s.article_id > ?", [after_id])


def last_article_id(store: Store) -> int:
    """The highest article id stored so far (0 for none)."""
    return store.value("SELECT coalesce(max(id), 0) FROM articles")


def _originals(store: Store, where: str, params: list) -> list[tuple[int, int, str]]:
    with store.read() as conn:
        return [tuple(r) for r in conn.execute(
            "SELECT a.id, a.story_id, s.story_time FROM article_signatures s"
            " JOIN articles a ON a.id = s.article_id"
            f" WHERE {where} AND a.duplicate_of IS NULL AND a.story_id IS NOT NULL",
            params).fetchall()]


def titles_and_texts(store: Store, ids: list[int]) -> dict[int, tuple[str, str]]:
    """Title and text of the given articles, by id."""
    if not ids:
        return {}
    with store.read() as conn:
        return {r[0]: (r[1] or "", r[2] or "") for r in conn.execute(
            f"SELECT id, title, text FROM articles WHERE id IN ({','.join('?' * len(ids))})",
            ids).fetchall()}
