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

import re
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np

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


Member = tuple[Hashable, Counter[str]]   # an article already placed: (its story, its terms)


def choose_story(terms: Counter[str], members: Sequence[Member],
                 threshold: float = DEFAULT_SIMILARITY) -> tuple[Hashable, float] | None:
    """The story (and its similarity) whose core is most similar to the article, among the
    stories of `members` (the articles of the window); None if none reaches `threshold`.

    The IDF is taken over the window's articles and this one: a member's vector is
    (1 + log count) × (1 + log((1 + N) / (1 + df))) made unit length, a story's core the sum
    of its members' vectors, and the similarity the cosine of the article with that core. In
    numpy over all (article, term) entries at once: one pass, whatever the number of stories.
    """
    if not members:
        return None
    vocabulary: dict[str, int] = {}
    rows: list[int] = []
    columns: list[int] = []
    counts: list[int] = []
    for row, (_, member_terms) in enumerate([*members, (None, terms)]):
        rows.extend([row] * len(member_terms))
        columns.extend(vocabulary.setdefault(t, len(vocabulary)) for t in member_terms)
        counts.extend(member_terms.values())
    n, size = len(members) + 1, len(vocabulary)
    rows_a, columns_a = np.array(rows, dtype=np.int64), np.array(columns, dtype=np.int64)
    idf = 1 + np.log((1 + n) / (1 + np.bincount(columns_a, minlength=size)))
    weights = (1 + np.log(np.array(counts, dtype=float))) * idf[columns_a]
    norms = np.sqrt(np.bincount(rows_a, weights ** 2, minlength=n))
    unit = weights / np.where(norms > 0, norms, 1.0)[rows_a]
    own = rows_a == n - 1
    article = np.zeros(size)
    article[columns_a[own]] = unit[own]
    stories = list(dict.fromkeys(story for story, _ in members))
    number = {story: i for i, story in enumerate(stories)}
    story_rows = np.array([number[story] for story, _ in members], dtype=np.int64)
    entries = story_rows[rows_a[~own]]
    entry_columns, entry_values = columns_a[~own], unit[~own]
    dots = np.bincount(entries, entry_values * article[entry_columns], minlength=len(stories))
    cells, which = np.unique(entries * size + entry_columns, return_inverse=True)
    core_norms = np.sqrt(np.bincount(cells // size, np.bincount(which, entry_values) ** 2,
                                     minlength=len(stories)))
    similarity = dots / np.where(core_norms > 0, core_norms, 1.0)
    best = int(np.argmax(similarity))
    return (stories[best], float(similarity[best])) if similarity[best] >= threshold else None


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
