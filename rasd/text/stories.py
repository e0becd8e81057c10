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
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from rasd.text.similarity import STORY_MIN_LETTERS, words

TITLE_WEIGHT = 3
LEDE_WEIGHT = 2
DEFAULT_SIMILARITY = 0.2
_PROCLITIC = re.compile(r"^[وف]?(?:ال|بال|كال|لل)(?=\w{3})")

Vector = dict[str, float]


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


def idf(documents: Iterable[Counter[str]]) -> tuple[Counter[str], int]:
    """Document frequencies and the number of documents."""
    frequencies: Counter[str] = Counter()
    n = 0
    for terms in documents:
        frequencies.update(terms.keys())
        n += 1
    return frequencies, n


def tfidf(terms: Counter[str], frequencies: Counter[str], documents: int) -> Vector:
    """The unit-length TF-IDF vector: (1 + log count) × (1 + log((1 + N) / (1 + df)))."""
    vector = {t: (1 + math.log(c)) * (1 + math.log((1 + documents) / (1 + frequencies[t])))
              for t, c in terms.items()}
    return _unit(vector)


def _unit(vector: Vector) -> Vector:
    norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    return {t: v / norm for t, v in vector.items()}


def cosine(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def core(vectors: Iterable[Vector]) -> Vector:
    """A story's core: the direction of the sum of its members' vectors."""
    total: Counter[str] = Counter()
    for vector in vectors:
        total.update(vector)
    return _unit(dict(total))


Member = tuple[Hashable, Counter[str]]   # an article already placed: (its story, its terms)


def choose_story(terms: Counter[str], members: Sequence[Member],
                 threshold: float = DEFAULT_SIMILARITY) -> tuple[Hashable, float] | None:
    """The story (and its similarity) whose core is most similar to the article, among the
    stories of `members` (the articles of the window); None if none reaches `threshold`.
    The IDF is taken over the window's articles and this one."""
    if not members:
        return None
    frequencies, n = idf([member_terms for _, member_terms in members] + [terms])
    article = tfidf(terms, frequencies, n)
    by_story: dict[Hashable, list[Vector]] = {}
    for story, member_terms in members:
        by_story.setdefault(story, []).append(tfidf(member_terms, frequencies, n))
    scored = [(cosine(article, core(vectors)), story) for story, vectors in by_story.items()]
    best = max(scored, key=lambda pair: pair[0])
    return (best[1], best[0]) if best[0] >= threshold else None


@dataclass
class Grouping:
    """Articles grouped one at a time, as the dedup stage does: each joins a story or starts
    one. Used by the benchmark and the quality test on a labelled set."""

    hours: float = 72
    threshold: float = DEFAULT_SIMILARITY
    placed: list[tuple[datetime, Member]] = field(default_factory=list)

    def place(self, title: str, text: str, time: datetime) -> int:
        """The story number of the next article (articles come in time order)."""
        terms = weighted_terms(title, text)
        window = timedelta(hours=self.hours)
        near = [member for when, member in self.placed if abs(when - time) <= window]
        chosen = choose_story(terms, near, self.threshold)
        story = chosen[0] if chosen else len({story for _, (story, _) in self.placed})
        self.placed.append((time, (story, terms)))
        return story
