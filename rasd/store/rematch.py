"""Re-applying the current watchlist to stored articles, so a new term finds past articles.

The `matches` rows of every article in scope are replaced by what the watchlist finds now, in
one transaction: terms removed from the watchlist disappear, new ones appear, and a failure
leaves the table as it was. Articles whose text was pruned (see `rasd/store/retention.py`) are
left alone: without text there is nothing to match. Every article matched is marked
(`articles.matched_at`) in the same transaction.

`repair_unmatched` is the same for the articles that have text and no mark: stored without
their matches by an older version that crashed, or filled a disk, half-way through a batch.
Each crawl runs it first; it costs one indexed query when there is nothing to repair.
"""
from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, field

from rasd.clock import timestamp
from rasd.store.articles import MATCH_COLUMNS
from rasd.store.database import Store
from rasd.text.watchlist import Watchlist


@dataclass
class RematchReport:
    """What a rematch changed, for the one-paragraph summary the CLI prints."""

    articles: int = 0
    without_text: int = 0
    added: int = 0
    removed: int = 0
    changed: int = 0
    unchanged: int = 0
    topics: Counter = field(default_factory=Counter)   # matching articles per topic


def rematch(store: Store, watchlist: Watchlist, since: str | None = None) -> RematchReport:
    """Replace the matches of stored articles (published, else fetched, on/after `since`)
    with what `watchlist.match_article` (the crawl's own matcher) finds."""
    where, params = ("", [])
    if since:
        where, params = "WHERE COALESCE(published_at, published_date, fetched_at) >= ?", [since]
    return _rematch(store, watchlist, where, params)


def repair_unmatched(store: Store, watchlist: Watchlist) -> RematchReport:
    """Match the articles stored without their matches (text, no `matched_at`)."""
    return _rematch(store, watchlist, "WHERE matched_at IS NULL AND text IS NOT NULL", [])


def _rematch(store: Store, watchlist: Watchlist, where: str, params: list) -> RematchReport:
    report = RematchReport()
    with store.transaction() as conn:
        ids, new = [], {}
        for article_id, title, text in conn.execute(     # streamed: texts are not all in memory
                f"SELECT id, title, text FROM articles {where}", params):
            if text is None:
                report.without_text += 1
                continue
            ids.append(article_id)
            found = watchlist.match_article(title, text)
            report.topics.update({m.topic for m in found})
            for m in found:
                new[(article_id, m.topic, m.term)] = (m.count, m.position, m.snippet, m.form)
        report.articles = len(ids)
        old = _current_rows(conn, ids)
        report.added = len(new.keys() - old.keys())
        report.removed = len(old.keys() - new.keys())
        both = new.keys() & old.keys()
        report.changed = sum(new[k] != old[k] for k in both)
        report.unchanged = len(both) - report.changed
        conn.executemany("DELETE FROM matches WHERE article_id = ?", [(i,) for i in ids])
        conn.executemany(
            f"INSERT INTO matches ({', '.join(MATCH_COLUMNS)}) "
            f"VALUES ({', '.join('?' * len(MATCH_COLUMNS))})",
            [(*key, *values) for key, values in new.items()])
        matched_at = timestamp()
        conn.executemany("UPDATE articles SET matched_at = ? WHERE id = ?",
                         [(matched_at, i) for i in ids])
    return report


def _current_rows(conn: sqlite3.Connection, ids: list[int]) -> dict[tuple, tuple]:
    wanted = set(ids)
    if not wanted:
        return {}
    return {(a, t, term): (c, p, s, f) for a, t, term, c, p, s, f in conn.execute(
        f"SELECT {', '.join(MATCH_COLUMNS)} FROM matches") if a in wanted}
