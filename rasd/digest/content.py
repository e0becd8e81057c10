"""The digest's content, independent of output format: topics → stories → articles.

Uses the dedup stage's links (`articles.duplicate_of`, `articles.story_id`, the `stories`
table): a duplicate is folded into its original, and the articles of one story are shown
together, once per topic. Where they are empty (articles stored before dedup existed) each
article is its own story. Titles and snippets lose their bidi and control characters here
(rasd.text.untrusted), whichever version of rasd stored them.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from rasd.clock import timestamp
from rasd.digest.highlight import Segment, highlight, safe_url
from rasd.digest.period import Period
from rasd.store import digests
from rasd.store.database import Store
from rasd.store.outlets import outlet_names
from rasd.text.untrusted import strip_controls


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


def _read_rows(store: Store, period: Period) -> dict[int, _Row]:
    rows: dict[int, _Row] = {}
    for r in digests.matching_articles(store, *period.bounds()):
        row = rows.get(r["id"])
        if row is None:
            row = rows[r["id"]] = _Row(r["id"], r["url"], strip_controls(r["title"]), r["source"],
                                       r["published_at"], r["fetched_at"], r["duplicate_of"],
                                       r["story_id"])
        row.terms.setdefault(r["topic"], []).append((r["term"], strip_controls(r["snippet"])))
    return rows


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
            story = stories[key] = Story(key, strip_controls(info.get("title")) or article.title,
                                         period.local(info.get("first_seen")
                                                      or article.fetched_at))
        story.articles.append(article)
    return sorted(stories.values(), key=lambda s: (-len(s.outlets), -len(s.articles),
                                                   s.first_seen, s.key))


def load_digest(store: Store, period: Period) -> Digest:
    """Every matching article first seen in `period`, as stories grouped by topic."""
    rows = _read_rows(store, period)
    names = outlet_names(store)
    meta = digests.stories(store, {r.story_id for r in rows.values() if r.story_id is not None})
    by_topic: dict[str, list[_Row]] = {}
    for row in rows.values():
        for topic in row.terms:
            by_topic.setdefault(topic, []).append(row)
    topics = {topic: _topic_stories(topic, by_topic[topic], period, names, meta)
              for topic in sorted(by_topic)}
    previous = period.previous()
    before = digests.topic_article_counts(store, *previous.bounds())
    counts = {topic: TopicCount(len(topics.get(topic, [])), len(by_topic.get(topic, [])),
                                before[topic])
              for topic in sorted(set(by_topic) | set(before))}
    outlets = Counter(names.get(r.source, r.source) for r in rows.values())
    story_keys = {s.key for stories in topics.values() for s in stories}
    return Digest(period, topics, counts, dict(outlets.most_common()), len(rows),
                  len(story_keys), digests.matching_article_count(store, *previous.bounds()),
                  timestamp())
