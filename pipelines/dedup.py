"""Dedup stage: link each article to the first carrier of its text, and to its story.

Duplicates are stored and linked, never dropped: `articles.duplicate_of` is the id of the first
article carrying the same text (exact: same fingerprint of the normalized text; near: an
estimated Jaccard of the word 5-shingles >= RASD_DUP_JACCARD, or the shorter text contained
>= RASD_DUP_CONTAINMENT in the longer: a copy cut to its first half). A duplicate joins its
original's story; any other article joins the story whose core is most similar among the
originals placed within RASD_STORY_WINDOW_HOURS (TF-IDF cosine >= RASD_STORY_SIMILARITY, see
rasd.text.stories), or starts a new one.

`process_item` decides (the CPU work and the index look-ups); the decision is written when the
store stage inserts the article (the `article_stored` signal, inside the store's transaction),
because only then is the article's id known. Its counters go to the store stage, which adds
them to the stats once the batch is committed. Articles decided earlier in the same crawl but
not stored yet are compared from memory and referred to by URL.

The story window lives in memory for the crawl (rasd.text.stories.StoryWindow): it follows each
article's window, reading from the store only the articles of the part it has not covered yet
and those other processes stored since, so deciding an article costs the same however many
articles its window or its stories hold.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from crawler.items import ArticleItem
from crawler.signals import article_stored
from rasd.store.database import Store, open_store
from rasd.store.dedup_index import DedupIndex, Ref, window
from rasd.store.story_members import (last_article_id, members_after, titles_and_texts,
                                      window_members)
from rasd.text.dates import story_moment
from rasd.text.similarity import Signature, fingerprint
from rasd.text.stories import StoryWindow, weighted_terms


@dataclass
class Decision:
    signature: Signature
    story_time: str
    terms: Counter[str]
    duplicate_of: Ref | None = None
    # the story it joins, as the window knows it: a story id, or the URL of the article not
    # stored yet that started it (its own URL: a new story); None for a duplicate
    story_key: Ref | None = None


def story_time(item: ArticleItem) -> str:
    """When the article is placed for story grouping (rasd/text/dates.py: published instant,
    else noon UTC of the published day, else fetched)."""
    return window(story_moment(item.get("published_at"), item.get("published_date"),
                               item["fetched_at"]), 0)[0]


class DedupPipeline:
    """Sets `fingerprint`; links duplicates and stories when the article is stored."""

    def __init__(self, db_path: str, jaccard: float, containment: float,
                 story_similarity: float, story_hours: float):
        self.db_path = db_path
        self.jaccard = jaccard
        self.containment = containment
        self.story_similarity = story_similarity
        self.story_hours = story_hours
        self.pending: dict[str, Decision] = {}
        self.pending_fingerprints: dict[str, str] = {}
        self.index: DedupIndex | None = None
        self.window = StoryWindow()
        self.bounds: tuple[str, str] | None = None   # the span the window holds
        self.story_keys: dict[int, str] = {}   # a story started in this crawl: its key
        self.seen_id = 0   # the stored articles up to this id are known to the window

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        pipeline = cls(settings.get("RASD_DB"),
                       settings.getfloat("RASD_DUP_JACCARD"),
                       settings.getfloat("RASD_DUP_CONTAINMENT"),
                       settings.getfloat("RASD_STORY_SIMILARITY"),
                       settings.getfloat("RASD_STORY_WINDOW_HOURS"))
        crawler.signals.connect(pipeline.article_stored, signal=article_stored)
        return pipeline

    def open_spider(self, spider=None) -> None:
        self.index = DedupIndex(open_store(self.db_path))
        self.seen_id = last_article_id(self.index.store)

    def process_item(self, item: ArticleItem, spider=None) -> ArticleItem:
        text = item["text"]
        item["fingerprint"] = fingerprint(text)
        decision = Decision(Signature.of(text), story_time(item),
                            weighted_terms(item.get("title") or "", text))
        if item.get("refetch"):   # a stored article's new version keeps its links
            self.pending[item["url"]] = decision
            stored = self.index.resolve(item["url"])
            if stored is not None and stored[0] in self.window:
                self.withdraw([stored[0]])   # its old text leaves the window now
            return item
        decision.duplicate_of = self.find_original(item["fingerprint"], decision.signature)
        if decision.duplicate_of is None:
            decision.story_key = self.find_story(item["url"], decision)
        self.pending[item["url"]] = decision
        self.pending_fingerprints.setdefault(item["fingerprint"], item["url"])
        return item

    def _scores(self, signature: Signature, others: list[Signature]) -> np.ndarray:
        """How much `signature` resembles each of `others`: max(Jaccard, containment) where
        that makes a duplicate, else -1."""
        jaccard, containment = signature.resemblance(others)
        copies = (jaccard >= self.jaccard) | (containment >= self.containment)
        return np.where(copies, np.maximum(jaccard, containment), -1.0)

    def find_original(self, text_fingerprint: str, signature: Signature) -> Ref | None:
        """The first carrier of this text (or a near copy of it), stored or pending."""
        exact = self.index.exact(text_fingerprint)
        if exact is not None:
            return exact
        if text_fingerprint in self.pending_fingerprints:
            return self.pending_fingerprints[text_fingerprint]
        stored = self.index.duplicate_candidates(signature)
        scores = self._scores(signature, [candidate.signature for candidate in stored])
        if len(scores) and scores.max() >= 0:   # the most similar, the first of equals
            return stored[int(np.argmax(scores))].root_id
        pending = list(self.pending.items())
        copies = np.flatnonzero(self._scores(signature, [d.signature for _, d in pending]) >= 0)
        return pending[copies[0]][0] if len(copies) else None

    def find_story(self, url: str, decision: Decision) -> Ref:
        """The story whose core is most similar, among the originals of the window, stored or
        pending (rasd.text.stories), as the window knows it; `url` for a new story."""
        self.follow(*window(decision.story_time, self.story_hours))
        chosen = self.window.choose(decision.terms, self.story_similarity)
        story = chosen[0] if chosen else url
        if url in self.window:   # decided again before it was stored: the last decision counts
            self.withdraw([url])
        self.window.add(url, story, decision.story_time, decision.terms)
        return story

    def _key(self, story_id: int) -> Ref:
        return self.story_keys.get(story_id, story_id)

    def follow(self, low: str, high: str) -> None:
        """Bring the window to [low, high]: drop the articles that left it, add those of the
        span it did not hold yet (stored, or pending) and those stored since by others."""
        store = self.index.store
        if self.bounds is None or high < self.bounds[0] or low > self.bounds[1]:
            spans = [(low, high)]
        else:
            spans = [span for span in ((low, self.bounds[0]), (self.bounds[1], high))
                     if span[0] < span[1]]
        self.withdraw(self.window.outside(low, high))
        self.bounds = (low, high)
        rows = [row for span in spans for row in window_members(store, *span)]
        newcomers = members_after(store, self.seen_id)
        if newcomers:
            self.seen_id = max(self.seen_id, *(article_id for article_id, *_ in newcomers))
        rows += [row for row in newcomers if low <= row[2] <= high]
        rows = [row for row in rows if row[0] not in self.window]
        texts = titles_and_texts(store, [article_id for article_id, *_ in rows])
        for article_id, story_id, time in rows:
            if article_id not in self.window:
                self.window.add(article_id, self._key(story_id), time,
                                weighted_terms(*texts[article_id]))
        for other_url, other in self.pending.items():
            if (other.story_key is not None and other_url not in self.window
                    and any(a <= other.story_time <= b for a, b in spans)):
                self.window.add(other_url, other.story_key, other.story_time, other.terms)

    def withdraw(self, keys: list[Ref]) -> None:
        """Take articles out of the window: a pending one with the terms of its decision, a
        stored one with those of its stored title and text (what it was placed with)."""
        texts = titles_and_texts(self.index.store, [k for k in keys if isinstance(k, int)])
        for key in keys:
            terms = (self.pending[key].terms if isinstance(key, str)
                     else weighted_terms(*texts.get(key, ("", ""))))
            self.window.remove(key, terms)

    def _settle(self, url: str, article_id: int, story_id: int | None,
                decision: Decision) -> None:
        """The window follows a stored article: its key becomes its id, and its story the one
        it was linked to (None: a duplicate, not a member)."""
        if decision.story_key == url:
            self.story_keys[story_id] = url
        if url not in self.window:
            return
        story = self._key(story_id) if story_id is not None else None
        if article_id in self.window:   # an id a failed batch had taken: never stored
            self.window.remove(article_id, decision.terms)
        if self.window.story_of(url) == story:
            self.window.rename(url, article_id)
            return
        self.window.remove(url, decision.terms)
        if story is not None:
            self.window.add(article_id, story, decision.story_time, decision.terms)

    def _refetched(self, article_id: int, decision: Decision, index: DedupIndex) -> None:
        """A stored article's new text takes the place of the old one (withdrawn when it was
        decided) in the window."""
        row = index.resolve(article_id)
        if (row is not None and row[1] == article_id and row[2] is not None
                and article_id not in self.window and self.bounds is not None
                and self.bounds[0] <= decision.story_time <= self.bounds[1]):
            self.window.add(article_id, self._key(row[2]), decision.story_time, decision.terms)

    def article_stored(self, item: ArticleItem, article_id: int, store: Store,
                       counts: Counter[str]) -> None:
        """Write the decision for a newly stored article, in the store's transaction."""
        decision = self.pending.pop(item["url"], None)
        if decision is None:
            return
        index = DedupIndex(store)
        if item.get("refetch") and index.remove(article_id):
            # an updated article keeps its links; its index entry follows the new text
            index.add(article_id, decision.signature, decision.story_time)
            story_id = index.story_of(article_id)
            if story_id is not None:
                index.refresh_story(story_id)
            self._refetched(article_id, decision, index)
            return
        duplicate_of = story_id = None
        if decision.duplicate_of is not None:
            original = index.resolve(decision.duplicate_of)
            if original is not None and original[1] != article_id:
                duplicate_of, story_id = original[1], original[2]
                counts["rasd/duplicates"] += 1
        elif isinstance(decision.story_key, int):
            story_id = decision.story_key
        elif decision.story_key not in (None, item["url"]):
            founder = index.resolve(decision.story_key)
            story_id = founder[2] if founder else None
        if story_id is None:
            story_id = index.new_story()
            counts["rasd/stories_new"] += 1
        index.link(article_id, duplicate_of, story_id)
        index.add(article_id, decision.signature, decision.story_time)
        index.count_in_story(story_id, article_id)
        self._settle(item["url"], article_id, None if duplicate_of else story_id, decision)
