"""The digest's content, independent of output format: topics → stories → articles.

Uses the dedup stage's columns when the database has them (`articles.duplicate_of`,
`articles.story_id`, the `stories` table): a duplicate is folded into its original, and the
articles of one story are shown together, once per topic. Without them (or where they are
empty) each article is its own story.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone

import sqlite_utils

from rasd.digest.highlight import Segment, highlight, safe_url
from rasd.digest.period import Period


@dataclass
class Duplicate:
    """Another outlet's (or URL's) copy of an article, folded into the original."""

    id: int
    url: str | None
    source: str
    published: str


@dataclass
class DigestArticle:
    id: int
    url: str | None          # None unless http(s): only such URLs become links
    title: str
    source: str
    published: str           # local time, or a bare date, or ""
    fetched_at: str
    terms: list[str] = field(default_factory=list)
    snippet: str = ""
    segments: list[Segment] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)


@dataclass
class Story:
    key: str
    title: str
    first_seen: str          # local time
    articles: list[DigestArticle] = field(default_factory=list)

    @property
    def single(self) -> bool:
        """One article under its own title: the story heading is that article's link."""
        return len(self.articles) == 1 and self.articles[0].title == self.title

    @property
    def outlets(self) -> list[str]:
        names = [a.source for a in self.articles]
        names += [d.source for a in self.articles for d in a.duplicates]
        return list(dict.fromkeys(names))


@dataclass
class TopicCount:
    stories: int
    articles: int
    previous: int            # matching articles in the previous period

    @property
    def change(self) -> int:
        return self.articles - self.previous


@dataclass
class Digest:
    period: Period
    topics: dict[str, list[Story]]
    topic_counts: dict[str, TopicCount]
    outlet_counts: dict[str, int]
    match_count: int         # distinct matching articles, duplicates included
    story_count: int
    previous_count: int
    generated_at: str

    @property
    def change(self) -> int:
        return self.match_count - self.previous_count


@dataclass
class _Row:
    """One matching article as read, with its terms and snippets per topic."""

    id: int
    url: str
    title: str
    source: str
    published_at: str | None
    fetched_at: str
    duplicate_of: int | None
    story_id: int | None
    terms: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


def _has_dedup(db: sqlite_utils.Database) -> tuple[bool, bool]:
    columns = db["articles"].columns_dict
    return "duplicate_of" in columns, "story_id" in columns and db["stories"].exists()


def _read_rows(db: sqlite_utils.Database, period: Period) -> dict[int, _Row]:
    has_duplicates, has_stories = _has_dedup(db)
    day = "a.published_date" if "published_date" in db["articles"].columns_dict else "NULL"
    start, end = period.bounds()
    rows: dict[int, _Row] = {}
    for r in db.query(
            f"""SELECT a.id, a.url, a.title, a.source,
                       COALESCE(a.published_at, {day}) AS published_at, a.fetched_at,
                       {'a.duplicate_of' if has_duplicates else 'NULL'} AS duplicate_of,
                       {'a.story_id' if has_stories else 'NULL'} AS story_id,
                       m.topic, m.term, m.snippet
                FROM matches m JOIN articles a ON a.id = m.article_id
                WHERE a.fetched_at >= ? AND a.fetched_at < ?
                ORDER BY a.fetched_at, a.id, m.topic, m.count DESC, m.term""", [start, end]):
        row = rows.get(r["id"])
        if row is None:
            row = rows[r["id"]] = _Row(r["id"], r["url"], r["title"] or "", r["source"],
                                       r["published_at"], r["fetched_at"], r["duplicate_of"],
                                       r["story_id"])
        row.terms.setdefault(r["topic"], []).append((r["term"], r["snippet"] or ""))
    return rows


def _stories_meta(db: sqlite_utils.Database, ids: set[int]) -> dict[int, dict]:
    if not ids or not _has_dedup(db)[1]:
        return {}
    marks = ",".join("?" * len(ids))
    return {r["id"]: r for r in db.query(
        f"SELECT id, title, first_seen FROM stories WHERE id IN ({marks})", sorted(ids))}


def _outlet_names(db: sqlite_utils.Database) -> dict[str, str]:
    if not db["sources"].exists():
        return {}
    return {r["slug"]: r["name"] or r["slug"] for r in db.query("SELECT slug, name FROM sources")}


def _root(row: _Row, present: dict[int, _Row]) -> _Row:
    """The original a duplicate folds into, when that original matched the same topic."""
    seen = {row.id}
    while row.duplicate_of in present and row.duplicate_of not in seen:
        row = present[row.duplicate_of]
        seen.add(row.id)
    return row


def _topic_stories(topic: str, rows: list[_Row], period: Period, names: dict[str, str],
                   meta: dict[int, dict]) -> list[Story]:
    present = {r.id: r for r in rows}
    articles: dict[int, DigestArticle] = {}
    for row in rows:   # oldest first, so an original is built before its duplicates
        root = _root(row, present)
        if root is not row:
            continue
        terms = row.terms[topic]
        articles[row.id] = DigestArticle(
            row.id, safe_url(row.url), row.title or row.url, names.get(row.source, row.source),
            period.local(row.published_at), row.fetched_at, [t for t, _ in terms], terms[0][1],
            highlight(terms[0][1], [t for t, _ in terms]))
    for row in rows:
        root = _root(row, present)
        if root is not row:
            articles[root.id].duplicates.append(Duplicate(
                row.id, safe_url(row.url), names.get(row.source, row.source),
                period.local(row.published_at)))
    stories: dict[str, Story] = {}
    for article in articles.values():
        story_id = present[article.id].story_id
        key = f"s{story_id}" if story_id is not None else f"a{article.id}"
        story = stories.get(key)
        if story is None:
            info = meta.get(story_id, {}) if story_id is not None else {}
            story = stories[key] = Story(key, info.get("title") or article.title,
                                         period.local(info.get("first_seen")
                                                      or article.fetched_at))
        story.articles.append(article)
    return sorted(stories.values(), key=lambda s: (-len(s.outlets), -len(s.articles),
                                                   s.first_seen, s.key))


def _topic_article_counts(db: sqlite_utils.Database, period: Period) -> Counter[str]:
    start, end = period.bounds()
    return Counter({r["topic"]: r["n"] for r in db.query(
        """SELECT m.topic, count(DISTINCT a.id) AS n
           FROM matches m JOIN articles a ON a.id = m.article_id
           WHERE a.fetched_at >= ? AND a.fetched_at < ? GROUP BY m.topic""", [start, end])})


def _distinct_articles(db: sqlite_utils.Database, period: Period) -> int:
    start, end = period.bounds()
    return next(db.query(
        """SELECT count(DISTINCT a.id) AS n FROM matches m JOIN articles a ON a.id = m.article_id
           WHERE a.fetched_at >= ? AND a.fetched_at < ?""", [start, end]))["n"]


def load_digest(db: sqlite_utils.Database, period: Period,
                generated_at: datetime | None = None) -> Digest:
    """Every matching article first seen in `period`, as stories grouped by topic."""
    rows = _read_rows(db, period)
    names = _outlet_names(db)
    meta = _stories_meta(db, {r.story_id for r in rows.values() if r.story_id is not None})
    by_topic: dict[str, list[_Row]] = {}
    for row in rows.values():
        for topic in row.terms:
            by_topic.setdefault(topic, []).append(row)
    topics = {topic: _topic_stories(topic, by_topic[topic], period, names, meta)
              for topic in sorted(by_topic)}
    previous = period.previous()
    before = _topic_article_counts(db, previous)
    counts = {topic: TopicCount(len(topics.get(topic, [])), len(by_topic.get(topic, [])),
                                before[topic])
              for topic in sorted(set(by_topic) | set(before))}
    outlets = Counter(names.get(r.source, r.source) for r in rows.values())
    story_keys = {s.key for stories in topics.values() for s in stories}
    now = generated_at or datetime.now(timezone.utc)
    return Digest(period, topics, counts, dict(outlets.most_common()), len(rows),
                  len(story_keys), _distinct_articles(db, previous),
                  now.isoformat(timespec="seconds"))
