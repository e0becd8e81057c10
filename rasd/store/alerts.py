"""The `alerts` table: which stories of alert topics were announced, and which still wait.

A row is queued once per (topic, story) when a crawl stores a matching article of a new story,
and is complete (`sent_at`) only when every configured channel took it: a failure leaves it
pending, to be retried after the next crawl, so no alert is lost and none is sent twice.
"""
from __future__ import annotations

from typing import Any

from rasd.store.database import Store


def queue_alerts(store: Store, topics: list[str], since: str, now: str) -> int:
    """Queue the stories of `topics` with a matching article fetched at or after `since`
    (this crawl's), unless queued before; the number queued."""
    if not topics:
        return 0
    marks = ",".join("?" * len(topics))
    with store.transaction() as conn:
        return conn.execute(
            f"""INSERT INTO alerts (topic, story_id, article_id, queued_at, attempts)
                SELECT m.topic, a.story_id, min(a.id), ?, 0
                FROM matches m JOIN articles a ON a.id = m.article_id
                WHERE m.topic IN ({marks}) AND a.fetched_at >= ? AND a.story_id IS NOT NULL
                GROUP BY m.topic, a.story_id
                ON CONFLICT (topic, story_id) DO NOTHING""", [now, *topics, since]).rowcount


def pending_alerts(store: Store) -> list[dict[str, Any]]:
    """Every alert not sent yet, oldest first, with its story and first article."""
    return store.rows(
        """SELECT al.topic, al.story_id, al.mailed_at, al.posted_at, al.attempts,
                  s.title AS story_title, s.first_seen, s.articles, s.outlets,
                  a.title, a.url, a.source
           FROM alerts al JOIN articles a ON a.id = al.article_id
           LEFT JOIN stories s ON s.id = al.story_id
           WHERE al.sent_at IS NULL ORDER BY al.queued_at, al.topic, al.story_id""")


def sent_since(store: Store, topic: str, since: str) -> int:
    """Alerts of `topic` sent at or after `since` (the rate limit's window)."""
    return store.value("SELECT count(*) FROM alerts WHERE topic = ? AND sent_at >= ?",
                       [topic, since])


def record_attempt(store: Store, topic: str, story_id: int, **changes: str | None) -> None:
    """One delivery attempt: its outcome columns (mailed_at, posted_at, sent_at, last_error)."""
    columns = ", ".join(f"{name} = :{name}" for name in changes)
    with store.transaction() as conn:
        conn.execute(f"UPDATE alerts SET attempts = attempts + 1, {columns}"
                     " WHERE topic = :topic AND story_id = :story_id",
                     {**changes, "topic": topic, "story_id": story_id})
