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
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from crawler.items import ArticleItem
from crawler.signals import article_stored
from rasd.store.database import Store, open_store
from rasd.store.dedup_index import DedupIndex, Ref, window
from rasd.store.story_members import titles_and_texts, window_members
from rasd.text.dates import story_moment
from rasd.text.similarity import Signature, fingerprint
from rasd.text.stories import Member, choose_story, weighted_terms


@dataclass
class Decision:
    signature: Signature
    story_time: str
    terms: Counter[str]
    duplicate_of: Ref | None = None
    story_with: Ref | None = None   # an article whose story this one joins
    story_key: object = None        # its story among the pending: a story id, or its own URL


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
        self.terms: dict[int, Counter[str]] = {}   # stored articles' story terms, by id

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

    def process_item(self, item: ArticleItem, spider=None) -> ArticleItem:
        text = item["text"]
        item["fingerprint"] = fingerprint(text)
        decision = Decision(Signature.of(text), story_time(item),
                            weighted_terms(item.get("title") or "", text))
        if item.get("refetch"):   # a stored article's new version keeps its links
            self.pending[item["url"]] = decision
            return item
        decision.duplicate_of = self.find_original(item["fingerprint"], decision.signature)
        if decision.duplicate_of is None:
            decision.story_with = self.find_story(item["url"], decision)
        self.pending[item["url"]] = decision
        self.pending_fingerprints.setdefault(item["fingerprint"], item["url"])
        return item

    def _resembles(self, signature: Signature, other: Signature) -> float | None:
        jaccard, containment = signature.resemblance(other)
        if jaccard >= self.jaccard or containment >= self.containment:
            return max(jaccard, containment)
        return None

    def find_original(self, text_fingerprint: str, signature: Signature) -> Ref | None:
        """The first carrier of this text (or a near copy of it), stored or pending."""
        exact = self.index.exact(text_fingerprint)
        if exact is not None:
            return exact
        if text_fingerprint in self.pending_fingerprints:
            return self.pending_fingerprints[text_fingerprint]
        best: tuple[float, Ref] | None = None
        for stored in self.index.duplicate_candidates(signature):
            score = self._resembles(signature, stored.signature)
            if score is not None and (best is None or score > best[0]):
                best = (score, stored.root_id)
        if best is not None:
            return best[1]
        for url, other in self.pending.items():
            if self._resembles(signature, other.signature) is not None:
                return url
        return None

    def find_story(self, url: str, decision: Decision) -> Ref | None:
        """An article of the story whose core is most similar, among the originals of the
        window, stored or pending (rasd.text.stories); None for a new story."""
        low, high = window(decision.story_time, self.story_hours)
        members: list[Member] = []
        refs: dict[object, Ref] = {}
        stored = window_members(self.index.store, low, high)
        missing = [article_id for article_id, _ in stored if article_id not in self.terms]
        for article_id, (title, text) in titles_and_texts(self.index.store, missing).items():
            self.terms[article_id] = weighted_terms(title, text)
        for article_id, story_id in stored:
            members.append((story_id, self.terms[article_id]))
            refs.setdefault(story_id, article_id)
        for other_url, other in self.pending.items():
            if other.story_key is not None and low <= other.story_time <= high:
                members.append((other.story_key, other.terms))
                refs.setdefault(other.story_key, other_url)
        chosen = choose_story(decision.terms, members, self.story_similarity)
        decision.story_key = chosen[0] if chosen else url
        return refs[chosen[0]] if chosen else None

    def article_stored(self, item: ArticleItem, article_id: int, store: Store,
                       counts: Counter[str]) -> None:
        """Write the decision for a newly stored article, in the store's transaction."""
        decision = self.pending.pop(item["url"], None)
        if decision is None:
            return
        index = DedupIndex(store)
        self.terms.pop(article_id, None)   # a refetched text is read again when needed
        if item.get("refetch") and index.remove(article_id):
            # an updated article keeps its links; its index entry follows the new text
            index.add(article_id, decision.signature, decision.story_time)
            story_id = index.story_of(article_id)
            if story_id is not None:
                index.refresh_story(story_id)
            return
        duplicate_of = story_id = None
        if decision.duplicate_of is not None:
            original = index.resolve(decision.duplicate_of)
            if original is not None and original[1] != article_id:
                duplicate_of, story_id = original[1], original[2]
                counts["rasd/duplicates"] += 1
        elif decision.story_with is not None:
            companion = index.resolve(decision.story_with)
            story_id = companion[2] if companion else None
        if story_id is None:
            story_id = index.new_story()
            counts["rasd/stories_new"] += 1
        index.link(article_id, duplicate_of, story_id)
        index.add(article_id, decision.signature, decision.story_time)
        index.count_in_story(story_id, article_id)
