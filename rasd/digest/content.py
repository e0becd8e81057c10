"""The digest's content, independent of output format: stories first, then topics.

Uses the dedup stage's links (`articles.duplicate_of`, `articles.story_id`, the `stories`
table): each story appears once, with every topic it touches; a duplicate is folded under its
original. Where they are empty (articles stored before dedup existed) each article is its own
story. Stories are ordered by importance: more outlets first, then more topics, then the most
recently updated. Each topic has a summary: today's stories and articles, the daily counts of
the last HISTORY_DAYS days, and a surge flag when today is well above its usual level.
Titles, ledes and snippets lose their bidi and control characters here (rasd.text.untrusted),
whichever version of rasd stored them.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from rasd.clock import local, parse_moment, timestamp
from rasd.digest.highlight import Segment, highlight, safe_url
from rasd.digest.period import Period
from rasd.store import digests
from rasd.store.database import Store
from rasd.store.outlets import outlet_names
from rasd.text.untrusted import strip_controls

HISTORY_DAYS = 14
SURGE_FACTOR = 2.0     # today's articles >= this × the mean of the days before ...
SURGE_MINIMUM = 3      # ... and at least this many
LEDE_LIMIT = 280       # characters of a story's first paragraph shown under its title


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
    lede: str                # the first paragraph of its first article, shortened
    first_seen: str          # local time
    last_updated: str        # local time
    topics: list[str] = field(default_factory=list)          # slugs, by topic order
    articles: list[DigestArticle] = field(default_factory=list)

    @property
    def url(self) -> str | None:
        """The link of the story's title: its first article's, when that is its title."""
        lead = self.articles[0]
        return lead.url if lead.title == self.title else None

    @property
    def outlets(self) -> list[str]:
        names = [a.source for a in self.articles]
        names += [d.source for a in self.articles for d in a.duplicates]
        return list(dict.fromkeys(names))

    @property
    def copies(self) -> int:
        return sum(len(a.duplicates) for a in self.articles)


@dataclass
class TopicSummary:
    slug: str
    label: str               # the watchlist's description, else the slug
    stories: int
    articles: int
    previous: int            # matching articles in the previous period
    days: list[str] = field(default_factory=list)     # the last HISTORY_DAYS local days
    daily: list[int] = field(default_factory=list)    # articles per day; the last is today

    @property
    def change(self) -> int:
        return self.articles - self.previous

    @property
    def usual(self) -> float:
        """The mean of the daily counts before the last day."""
        before = self.daily[:-1]
        return sum(before) / len(before) if before else 0.0

    @property
    def surge(self) -> bool:
        """Today well above the usual level (see SURGE_FACTOR, SURGE_MINIMUM)."""
        today = self.daily[-1] if self.daily else 0
        return today >= SURGE_MINIMUM and today >= SURGE_FACTOR * self.usual


@dataclass
class Digest:
    period: Period
    stories: list[Story]
    topics: dict[str, TopicSummary]
    outlet_counts: dict[str, int]
    match_count: int         # distinct matching articles, duplicates included
    previous_count: int
    generated_at: str
    topic: str | None = None  # the one topic this digest is limited to, if any

    @property
    def story_count(self) -> int:
        return len(self.stories)

    @property
    def change(self) -> int:
        return self.match_count - self.previous_count

    def label(self, slug: str) -> str:
        summary = self.topics.get(slug)
        return summary.label if summary else slug


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
    opening: str
    terms: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


def _read_rows(store: Store, period: Period, topic: str | None) -> dict[int, _Row]:
    rows: dict[int, _Row] = {}
    for r in digests.matching_articles(store, *period.bounds()):
        row = rows.get(r["id"])
        if row is None:
            row = rows[r["id"]] = _Row(r["id"], r["url"], strip_controls(r["title"]), r["source"],
                                       r["published_at"], r["fetched_at"], r["duplicate_of"],
                                       r["story_id"], strip_controls(r["opening"]))
        row.terms.setdefault(r["topic"], []).append((r["term"], strip_controls(r["snippet"])))
    if topic is not None:
        rows = {i: r for i, r in rows.items() if topic in r.terms}
    return rows


def _root(row: _Row, present: dict[int, _Row]) -> _Row:
    """The original a duplicate folds into, when that original matched too."""
    seen = {row.id}
    while row.duplicate_of in present and row.duplicate_of not in seen:
        row = present[row.duplicate_of]
        seen.add(row.id)
    return row


def lede(opening: str, title: str, limit: int = LEDE_LIMIT) -> str:
    """The first paragraph that does not repeat the title, whole words up to `limit`
    characters."""
    head = " ".join(title.split())[:60]
    first = next((line for line in (" ".join(raw.split()) for raw in opening.splitlines())
                  if line and not (head and line.startswith(head))), "")
    if len(first) <= limit:
        return first
    return first[:limit].rsplit(" ", 1)[0] + "…"


def _article(row: _Row, period: Period, names: Mapping[str, str]) -> DigestArticle:
    terms = [(term, snippet) for matches in row.terms.values() for term, snippet in matches]
    words = list(dict.fromkeys(t for t, _ in terms))
    return DigestArticle(row.id, safe_url(row.url), row.title or row.url,
                         names.get(row.source, row.source), period.local(row.published_at),
                         row.fetched_at, words, terms[0][1], highlight(terms[0][1], words))


def _stories(rows: dict[int, _Row], period: Period, names: Mapping[str, str],
             meta: dict[int, dict], topic_order: list[str]) -> list[Story]:
    articles: dict[int, DigestArticle] = {}
    for row in rows.values():   # oldest first, so an original is built before its copies
        if _root(row, rows) is row:
            articles[row.id] = _article(row, period, names)
    topics: dict[str, set[str]] = {}
    newest: dict[str, str] = {}
    stories: dict[str, Story] = {}
    for row in rows.values():
        root = _root(row, rows)
        if root is not row:
            articles[root.id].duplicates.append(Duplicate(
                row.id, safe_url(row.url), names.get(row.source, row.source),
                period.local(row.published_at)))
        key = f"s{root.story_id}" if root.story_id is not None else f"a{root.id}"
        story = stories.get(key)
        if story is None:
            info = meta.get(root.story_id, {}) if root.story_id is not None else {}
            article = articles[root.id]
            story = stories[key] = Story(
                key, strip_controls(info.get("title")) or article.title,
                lede(root.opening, article.title),
                period.local(info.get("first_seen") or row.fetched_at), "")
        if root is row:
            story.articles.append(articles[row.id])
        topics.setdefault(key, set()).update(row.terms)
        newest[key] = max(newest.get(key, ""), row.fetched_at)
    for key, story in stories.items():
        story.topics = [t for t in topic_order if t in topics[key]]
        story.last_updated = period.local(newest[key])
    ranked = sorted(stories.values(), key=lambda s: s.key)
    return sorted(ranked, key=lambda s: (len(s.outlets), len(s.topics), newest[s.key]),
                  reverse=True)


def history_days(period: Period) -> list[date]:
    """The HISTORY_DAYS local days that end with the period's last day."""
    last = local(period.end - timedelta(seconds=1), period.tz).date()
    return [last - timedelta(days=n) for n in range(HISTORY_DAYS - 1, -1, -1)]


def _daily_counts(store: Store, period: Period, days: list[date]) -> dict[str, list[int]]:
    """Distinct matching articles per topic and local day."""
    start = Period.day(days[0], period.tz).start.isoformat(timespec="seconds")
    index = {day: n for n, day in enumerate(days)}
    counts: dict[str, list[int]] = {}
    for topic, fetched_at in digests.topic_articles_fetched(store, start, period.bounds()[1]):
        n = index.get(local(parse_moment(fetched_at), period.tz).date())
        if n is not None:
            counts.setdefault(topic, [0] * len(days))[n] += 1
    return counts


def load_digest(store: Store, period: Period, descriptions: Mapping[str, str] | None = None,
                topic: str | None = None) -> Digest:
    """Every matching article first seen in `period`, as stories, with a summary per topic.

    `descriptions` are the watchlist's (topic labels); `topic` limits the digest to one topic.
    """
    descriptions = descriptions or {}
    rows = _read_rows(store, period, topic)
    names = outlet_names(store)
    meta = digests.stories(store, {r.story_id for r in rows.values() if r.story_id is not None})
    per_topic = Counter(t for row in rows.values() for t in row.terms)
    days = history_days(period)
    daily = _daily_counts(store, period, days)
    previous = period.previous()
    before = digests.topic_article_counts(store, *previous.bounds())
    slugs = sorted(set(per_topic) | set(before) | set(daily),
                   key=lambda t: (-per_topic[t], t))
    if topic is not None:
        slugs = [topic]
    stories = _stories(rows, period, names, meta, slugs)
    story_topics = Counter(t for story in stories for t in story.topics)
    summaries = {t: TopicSummary(t, descriptions.get(t) or t, story_topics[t], per_topic[t],
                                 before[t], [d.isoformat() for d in days],
                                 daily.get(t, [0] * len(days)))
                 for t in slugs}
    outlets = Counter(names.get(r.source, r.source) for r in rows.values())
    previous_count = (before[topic] if topic is not None
                      else digests.matching_article_count(store, *previous.bounds()))
    return Digest(period, stories, summaries, dict(outlets.most_common()), len(rows),
                  previous_count, timestamp(), topic)
