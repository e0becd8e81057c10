"""Story membership: does an article report the same event as a story? Pure, no SQL.

Word-set Jaccard groups by who is named: every Libya report names حفتر, الدبيبة, مجلس النواب,
and ends with the same background paragraph, so two events of the same days share much of
their vocabulary, and chaining through each story's nearest member joins them all. Here:
- an article is a TF-IDF vector: a word's weight grows with its count (log-scaled) and with
  its rarity among the articles of the window (smoothed IDF), so names every article shares
  count for little and the words of this event (يفكوروف, الشرارة, سوق الجمعة) for much;
- the title counts TITLE_WEIGHT times and the first paragraph LEDE_WEIGHT times, the tail
  once: the lede says what happened, the tail repeats the background;
- an article is compared with a story's core (the normalized sum of its members' vectors),
  not with its nearest member, so a story does not drift from event to event by chaining.
It joins the story whose core is most similar if the cosine is at least the threshold
(RASD_STORY_SIMILARITY), else starts a new story.
"""
from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right, insort
from collections import Counter
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from rasd.text.similarity import STORY_MIN_LETTERS, words

TITLE_WEIGHT = 3
LEDE_WEIGHT = 2
DEFAULT_SIMILARITY = 0.2
_PROCLITIC = re.compile(r"^[وف]?(?:ال|بال|كال|لل)(?=\w{3})")

def stem(word: str) -> str:
    """A normalized word without its article and what is glued to it (والدبيبه → دبيبه):
    a light stem. Single-letter proclitics stay: بليبيا → ليبيا but ليبيا → يبيا."""
    return _PROCLITIC.sub("", word)


def _counted(text: str) -> Counter[str]:
    return Counter(stem(w) for w in words(text)
                   if len(w) >= STORY_MIN_LETTERS and not w.isdigit())


def weighted_terms(title: str, text: str) -> Counter[str]:
    """Term counts of an article: title and first paragraph weighted above the tail."""
    lede, _, tail = (text or "").strip().partition("\n")
    terms = Counter()
    for part, weight in ((title, TITLE_WEIGHT), (lede, LEDE_WEIGHT), (tail, 1)):
        for term, count in _counted(part or "").items():
            terms[term] += count * weight
    return terms


def unit_counts(terms: Counter[str]) -> dict[str, float]:
    """A member's term vector, (1 + log count) made unit length: it does not depend on the
    window, so a story's core, their sum, changes only when a member joins or leaves."""
    weights = {term: 1 + math.log(count) for term, count in terms.items() if count > 0}
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {term: w / norm for term, w in weights.items()}


@dataclass
class Core:
    """A story in the window: the sum of its members' unit vectors, and the three sums that
    give its length under the window's IDF without visiting its terms (see StoryWindow)."""

    order: int                       # first placed first: ties go to the older story
    members: int = 0
    values: dict[str, float] = field(default_factory=dict)
    sums: list[float] = field(default_factory=lambda: [0.0, 0.0, 0.0])

    def shift(self, term: str, before: float, after: float, rarity: float) -> None:
        """`values[term]` moves from `before` to `after` with log(1 + df) = `rarity`."""
        change = after * after - before * before
        self.sums[0] += change
        self.sums[1] += change * rarity
        self.sums[2] += change * rarity * rarity


class StoryWindow:
    """The articles of a story window and what the story rule needs of them, kept up to date
    as articles join and leave, so deciding one article costs the same however big its
    stories or the window are.

    The rule: an article's vector is (1 + log count) × idf, with idf = L - log(1 + df),
    L = 1 + log(1 + N), over the N members of the window and the article; a story's core is the
    sum of its members' unit count vectors (`unit_counts`) weighted by the same idf; the
    similarity is the cosine of the two. The dot product needs only the article's terms (an
    inverted index, `postings`, gives the stories sharing each: the candidates). The core's
    squared length is Σ c²(L - g)² = L²·Σc² - 2L·Σc²g + Σc²g² with g = log(1 + df): each story
    keeps those three sums, moved when a member joins or leaves it and, for the stories
    sharing a term, when that term's document frequency changes. Members are keyed by
    anything hashable (an article id, or the URL of one not stored yet) and carry a time, so
    `outside` names those that left the window. A member's terms are not kept (the window's
    memory is its stories' cores, not every article's terms): whoever removes one gives them
    again, as it was placed with them.
    """

    def __init__(self) -> None:
        self.members: dict[Hashable, tuple[Hashable, object]] = {}   # key -> (story, time)
        self.df: Counter[str] = Counter()
        self.stories: dict[Hashable, Core] = {}
        self.postings: dict[str, set[Hashable]] = {}
        self.times: list[tuple[object, Hashable]] = []   # (time, key), by time
        self._placed = 0

    def __contains__(self, key: Hashable) -> bool:
        return key in self.members

    def __len__(self) -> int:
        return len(self.members)

    def story_of(self, key: Hashable) -> Hashable:
        return self.members[key][0]

    def _document_frequency(self, term: str, step: int) -> None:
        """df(term) += step, and the sums of every story whose core has the term."""
        before = self.df[term]
        after = before + step
        if after:
            self.df[term] = after
        else:
            del self.df[term]
        g0, g1 = math.log(1 + before), math.log(1 + after)
        for story in self.postings.get(term, ()):
            core = self.stories[story]
            square = core.values[term] ** 2
            core.sums[1] += square * (g1 - g0)
            core.sums[2] += square * (g1 * g1 - g0 * g0)

    def add(self, key: Hashable, story: Hashable, time: object, terms: Counter[str]) -> None:
        """Place an article (`key`, not in the window yet) in `story` at `time`."""
        vector = unit_counts(terms)
        self.members[key] = (story, time)
        insort(self.times, (time, key), key=lambda entry: entry[0])
        core = self.stories.get(story)
        if core is None:
            core = self.stories[story] = Core(self._placed)
            self._placed += 1
        core.members += 1
        for term, value in vector.items():
            self._document_frequency(term, +1)
            before = core.values.get(term, 0.0)
            core.values[term] = before + value
            core.shift(term, before, before + value, math.log(1 + self.df[term]))
            self.postings.setdefault(term, set()).add(story)

    def remove(self, key: Hashable, terms: Counter[str]) -> None:
        """Take an article out of the window (and its story, once empty), given the terms it
        was placed with. Terms it was not placed with are passed over."""
        story, time = self.members.pop(key)
        del self.times[self._position(time, key)]
        core = self.stories[story]
        core.members -= 1
        for term, value in unit_counts(terms).items():
            if term not in core.values or not self.df[term]:
                continue
            before = core.values[term]
            after = before - value
            if abs(after) < _RESIDUE:   # the last member with the term left
                after = 0.0
                del core.values[term]
                self.postings[term].discard(story)
            else:
                core.values[term] = after
            core.shift(term, before, after, math.log(1 + self.df[term]))
            self._document_frequency(term, -1)
            if not self.postings[term]:
                del self.postings[term]
        if not core.members:   # what is left of its sums is rounding: no term points to it
            for term in core.values:
                self.postings[term].discard(story)
                if not self.postings[term]:
                    del self.postings[term]
            del self.stories[story]

    def _position(self, time: object, key: Hashable) -> int:
        at = bisect_left(self.times, time, key=lambda entry: entry[0])
        while self.times[at][1] != key:
            at += 1
        return at

    def rename(self, old: Hashable, new: Hashable) -> None:
        """The same member under a new key (a pending article once stored)."""
        story, time = self.members.pop(old)
        self.members[new] = (story, time)
        self.times[self._position(time, old)] = (time, new)

    def outside(self, low: object, high: object) -> list[Hashable]:
        """The members placed before `low` or after `high`: those leaving the window."""
        first = bisect_left(self.times, low, key=lambda entry: entry[0])
        last = bisect_right(self.times, high, key=lambda entry: entry[0])
        return [key for _, key in self.times[:first] + self.times[last:]]

    def choose(self, terms: Counter[str],
               threshold: float = DEFAULT_SIMILARITY) -> tuple[Hashable, float] | None:
        """The story (and its similarity) whose core is most similar to the article, if it
        reaches `threshold`; None for a new story."""
        big_l = 1 + math.log(2 + len(self.members))   # N counts the article
        weights: dict[str, float] = {}
        for term, count in terms.items():
            if count > 0:
                weights[term] = (1 + math.log(count)) * (big_l - math.log(2 + self.df[term]))
        norm = math.sqrt(sum(w * w for w in weights.values()))
        dots: dict[Hashable, float] = {}
        corrections: dict[Hashable, float] = {}   # the article's terms gain one in df
        for term, weight in weights.items():
            stories = self.postings.get(term)
            if not stories:
                continue
            df = self.df[term]
            idf, idf_without = big_l - math.log(2 + df), big_l - math.log(1 + df)
            gain = idf * idf - idf_without * idf_without
            for story in stories:
                value = self.stories[story].values[term]
                dots[story] = dots.get(story, 0.0) + weight * value * idf
                corrections[story] = corrections.get(story, 0.0) + value * value * gain
        best: tuple[float, int, Hashable] | None = None
        for story, dot in dots.items():
            core = self.stories[story]
            s0, s1, s2 = core.sums
            length = math.sqrt(max(big_l * big_l * s0 - 2 * big_l * s1 + s2
                                   + corrections[story], 0.0))
            similarity = dot / (norm * length) if length > 0 else 0.0
            if best is None or (similarity, -core.order) > best[:2]:
                best = (similarity, -core.order, story)
        if best is None or best[0] < threshold:
            return None
        return best[2], best[0]


_RESIDUE = 1e-9   # a core value this small is what is left of a sum once its terms left


@dataclass
class Grouping:
    """Articles grouped one at a time, as the dedup stage does: each joins a story or starts
    one. Used by the benchmark and the quality test on a labelled set."""

    hours: float = 72
    threshold: float = DEFAULT_SIMILARITY
    placed: list[tuple[datetime, tuple[int, Counter[str]]]] = field(default_factory=list)
    window: StoryWindow = field(default_factory=StoryWindow)
    stories: int = 0

    def place(self, title: str, text: str, time: datetime) -> int:
        """The story number of the next article (articles come in time order)."""
        terms = weighted_terms(title, text)
        span = timedelta(hours=self.hours)
        for key in self.window.outside(time - span, time + span):
            self.window.remove(key, self.placed[key][1][1])
        chosen = self.window.choose(terms, self.threshold)
        if chosen:
            story = chosen[0]
        else:
            story, self.stories = self.stories, self.stories + 1
        self.window.add(len(self.placed), story, time, terms)
        self.placed.append((time, (story, terms)))
        return story
