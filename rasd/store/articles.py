"""Articles and their matches as the store stage writes them, and the URLs it dropped.

`save_article` is one article with its matches; the store stage calls it for each item of a
batch inside one `Store.transaction()`, so a batch is stored whole or not at all. The URL is
unique: saving a stored URL again leaves it alone, unless it is a re-fetch (the outlet's
`refetch_hours`), which overwrites the stored version and replaces its matches. The search
index (`rasd/store/search.py`) follows in the same transaction.

Articles commit in the order of their ids. SQLite has one writer at a time, so that holds by
itself; on PostgreSQL an id is taken from a sequence at insert, and two workers' batches could
commit out of order, so that a reader following new articles by id (the story window's
`members_after`) would pass over the lower one, committed later. There each transaction that
writes articles first takes a transaction-level advisory lock, held until its commit.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rasd.store import search, statements
from rasd.store.database import Store

MATCH_COLUMNS = ("article_id", "topic", "term", "count", "position", "snippet", "form")
MATCH_KEY = ("article_id", "topic", "term")
_KEPT_ON_REFETCH = ("url", "original_url")   # a re-fetched article keeps its identity
ARTICLE_WRITES_LOCK = 0x72617364_0003   # "rasd" + 3: article ids commit in order


@dataclass(frozen=True)
class Saved:
    """What `save_article` did: 'new', 'updated' (a re-fetch) or 'existing' (left alone)."""

    outcome: str
    article_id: int | None   # None when left alone


def save_article(store: Store, row: Mapping[str, Any], matches: Iterable[tuple],
                 refetch: bool = False) -> Saved:
    """Insert an article (`row`: its columns) with its matches: (topic, term, count, position,
    snippet, form) tuples. An article already stored is overwritten only when `refetch`."""
    with store.transaction() as conn:
        if store.dialect == "postgresql":   # released at the commit (see the module's doc)
            conn.execute("SELECT pg_advisory_xact_lock(?)", [ARTICLE_WRITES_LOCK])
        article_id = statements.insert_id(conn, "articles", row, or_ignore=True)
        if article_id is not None:
            outcome = "new"
        elif refetch:
            article_id, title, text = conn.execute(
                "SELECT id, title, text FROM articles WHERE url = ?", [row["url"]]).fetchone()
            search.unindex(conn, article_id, title, text)
            statements.update(conn, "articles", {"url": row["url"]},
                              {c: v for c, v in row.items() if c not in _KEPT_ON_REFETCH})
            conn.execute("DELETE FROM matches WHERE article_id = ?", [article_id])
            outcome = "updated"
        else:
            return Saved("existing", None)
        title, text = conn.execute("SELECT title, text FROM articles WHERE id = ?",
                                   [article_id]).fetchone()
        search.index(conn, article_id, title, text)
        conn.execute("DELETE FROM dropped_urls WHERE url = ?", [row["url"]])   # retried, kept
        conn.executemany(statements.upsert_sql("matches", MATCH_COLUMNS, MATCH_KEY),
                         [(article_id, *match) for match in matches])
    return Saved(outcome, article_id)


def record_dropped(store: Store, url: str, source: str | None, reason: str,
                   dropped_at: str) -> None:
    """Remember a URL processed and dropped, and why, so that it is not fetched again before
    RASD_DROPPED_RETRY_HOURS (`rasd articles --dropped` lists them)."""
    with store.transaction() as conn:
        statements.upsert(conn, "dropped_urls", [{"url": url, "source": source,
                                                  "reason": reason, "dropped_at": dropped_at}],
                          key=("url",))
