"""Retention: forget the text of articles that matched nothing, after a while.

The text of non-matching articles is kept so that `rasd rematch` can apply a new watchlist term
to past articles; keeping it forever would grow the database without end. Pruning keeps the
row (URL, title, dates) and a SHA-256 of the text, so a pruned URL is never fetched again and
the text can still be recognised. The daemon calls `prune_unmatched_text` daily; `rasd prune`
runs it by hand.
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from rasd.store import search
from rasd.store.database import Store


def retention_cutoff(now: datetime, days: int) -> str:
    """The stored-timestamp string before which unmatched text is pruned."""
    return (now - timedelta(days=days)).isoformat(timespec="seconds")


def prune_unmatched_text(store: Store, now: datetime, days: int) -> int:
    """Drop the text of articles fetched more than `days` before `now` that have no match.

    Returns how many articles lost their text. `days` <= 0 keeps every text forever.
    One transaction: either all of them are pruned or none.
    """
    if days <= 0:
        return 0
    stamp = now.isoformat(timespec="seconds")
    with store.transaction() as conn:
        pruned = conn.execute(
            """SELECT id, title, text FROM articles
               WHERE text IS NOT NULL AND fetched_at < ? AND NOT EXISTS
                 (SELECT 1 FROM matches WHERE article_id = articles.id)""",
            [retention_cutoff(now, days)]).fetchall()
        for article_id, title, text in pruned:   # the index keeps the title only
            search.unindex(conn, article_id, title, text)
            search.index(conn, article_id, title, None)
        conn.executemany(
            "UPDATE articles SET text = NULL, text_sha256 = ?, text_pruned_at = ? WHERE id = ?",
            [(hashlib.sha256(text.encode("utf-8")).hexdigest(), stamp, article_id)
             for article_id, _, text in pruned])
    return len(pruned)
