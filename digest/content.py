"""The digest's content, independent of output format: topics → articles → matched terms."""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlite_utils

from digest.period import Period


@dataclass
class DigestArticle:
    id: int
    url: str
    title: str
    source: str
    published_at: str | None
    fetched_at: str
    terms: list[str] = field(default_factory=list)
    snippet: str = ""


@dataclass
class Digest:
    period: Period
    topics: dict[str, list[DigestArticle]]

    @property
    def match_count(self) -> int:
        return sum(len(articles) for articles in self.topics.values())


def load_digest(db: sqlite_utils.Database, period: Period) -> Digest:
    """Every matching article first seen in `period`, grouped by topic, newest first."""
    start, end = period.bounds()
    topics: dict[str, dict[int, DigestArticle]] = {}
    for row in db.query(
            """SELECT a.id, a.url, a.title, a.source, a.published_at, a.fetched_at,
                      m.topic, m.term, m.snippet
               FROM matches m JOIN articles a ON a.id = m.article_id
               WHERE a.fetched_at >= ? AND a.fetched_at < ?
               ORDER BY m.topic, a.fetched_at DESC, a.id DESC, m.count DESC""", [start, end]):
        articles = topics.setdefault(row["topic"], {})
        article = articles.get(row["id"])
        if article is None:
            article = articles[row["id"]] = DigestArticle(
                row["id"], row["url"], row["title"] or "", row["source"], row["published_at"],
                row["fetched_at"], snippet=row["snippet"] or "")
        article.terms.append(row["term"])
    return Digest(period, {topic: list(a.values()) for topic, a in topics.items()})
