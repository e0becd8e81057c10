"""Re-applying the current watchlist to stored articles, so a new term finds past articles.

The `matches` rows of every article in scope are replaced by what the watchlist finds now, in
one transaction: terms removed from the watchlist disappear, new ones appear, and a failure
leaves the table as it was. Articles whose text was pruned (see `pipelines/retention.py`) are
left alone: without text there is nothing to match.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import sqlite_utils

from pipelines.keywords import article_matches
from rasd.text.watchlist import Watchlist

_COLUMNS = ("article_id", "topic", "term", "count", "position", "snippet", "form")


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


def rematch(db: sqlite_utils.Database, watchlist: Watchlist, since: str | None = None
            ) -> RematchReport:
    """Replace the matches of stored articles (published, else fetched, on/after `since`)."""
    where, params = ("WHERE COALESCE(published_at, published_date, fetched_at) >= ?", [since]) if since \
        else ("", [])
    report = RematchReport()
    with db.conn:
        ids, new = [], {}
        for article_id, title, text in db.execute(     # streamed: texts are not all in memory
                f"SELECT id, title, text FROM articles {where}", params):
            if text is None:
                report.without_text += 1
                continue
            ids.append(article_id)
            found = article_matches(watchlist, title, text)
            report.topics.update({m.topic for m in found})
            for m in found:
                new[(article_id, m.topic, m.term)] = (m.count, m.position, m.snippet, m.form)
        report.articles = len(ids)
        old = _current_rows(db, ids)
        report.added = len(new.keys() - old.keys())
        report.removed = len(old.keys() - new.keys())
        both = new.keys() & old.keys()
        report.changed = sum(new[k] != old[k] for k in both)
        report.unchanged = len(both) - report.changed
        db.conn.executemany("DELETE FROM matches WHERE article_id = ?", [(i,) for i in ids])
        db.conn.executemany(
            f"INSERT INTO matches ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * 7)})",
            [(*key, *values) for key, values in new.items()])
    return report


def _current_rows(db: sqlite_utils.Database, ids: list[int]) -> dict[tuple, tuple]:
    wanted = set(ids)
    return {(a, t, term): (c, p, s, f) for a, t, term, c, p, s, f in db.execute(
        f"SELECT {', '.join(_COLUMNS)} FROM matches") if a in wanted}
