"""Pairwise precision and recall of story grouping on a labelled set: the old rule and the new.

    .venv/bin/python benchmarks/story_quality.py [--sweep]

The set (benchmarks/data/story_events/articles.toml): 34 articles on 10 events of the same two
weeks, all naming the same actors. Every pair of articles counts once: a true positive is a
pair labelled one event and grouped in one story. Both rules see the articles in publication
order, one at a time, as the dedup stage does.
- old: the MinHash-estimated Jaccard of the words (4+ letters) of the text >= 0.07 with the
  most similar article within 72 h, whose story it joins (so stories chain transitively);
- new: rasd.text.stories (TF-IDF over the window, title and lede weighted, compared with each
  story's core) at the shipped threshold. `--sweep` also prints other thresholds.
Targets: precision 1.0, recall >= 0.9 (tests/unit/test_story_quality.py gates the new rule).
"""
from __future__ import annotations

import sys
import tomllib
from datetime import datetime, timedelta
from itertools import combinations
from pathlib import Path

import numpy as np

from rasd.text.similarity import STORY_PERMUTATIONS, minhash, vocabulary
from rasd.text.stories import DEFAULT_SIMILARITY, Grouping

LABELLED = Path(__file__).resolve().parent / "data" / "story_events" / "articles.toml"
OLD_JACCARD, HOURS = 0.07, 72


def load(path: Path = LABELLED) -> list[dict]:
    """The labelled articles in publication order, with `time` parsed."""
    articles = tomllib.loads(path.read_text(encoding="utf-8"))["article"]
    for article in articles:
        article["time"] = datetime.fromisoformat(article["published"])
    return sorted(articles, key=lambda a: a["time"])


def pairwise(labels: list[str], stories: list[int]) -> tuple[float, float]:
    """(precision, recall) over all pairs: same story predicted vs same event labelled."""
    tp = fp = fn = 0
    for i, j in combinations(range(len(labels)), 2):
        same_event, same_story = labels[i] == labels[j], stories[i] == stories[j]
        tp += same_event and same_story
        fp += same_story and not same_event
        fn += same_event and not same_story
    return tp / ((tp + fp) or 1), tp / ((tp + fn) or 1)


def old_rule(articles: list[dict]) -> list[int]:
    """Jaccard >= 0.07 with the nearest earlier article of the window, joined transitively."""
    placed: list[tuple[datetime, np.ndarray, int]] = []
    for article in articles:
        signature = minhash(vocabulary(article["text"]), STORY_PERMUTATIONS)
        near = [(float(np.mean(signature == other)), story) for time, other, story in placed
                if abs(time - article["time"]) <= timedelta(hours=HOURS)]
        best = max(near, default=(0.0, -1), key=lambda pair: pair[0])
        story = best[1] if best[0] >= OLD_JACCARD else len({s for *_, s in placed})
        placed.append((article["time"], signature, story))
    return [story for *_, story in placed]


def new_rule(articles: list[dict], threshold: float = DEFAULT_SIMILARITY) -> list[int]:
    grouping = Grouping(HOURS, threshold)
    return [grouping.place(a["title"], a["text"], a["time"]) for a in articles]


def main(sweep: bool = False) -> None:
    articles = load()
    labels = [a["event"] for a in articles]
    print(f"{len(articles)} articles, {len(set(labels))} events")
    print(f"{'rule':<34} {'stories':>7} {'precision':>9} {'recall':>6}")
    rows = [("old: Jaccard >= 0.07, transitive", old_rule(articles)),
            (f"new: TF-IDF core >= {DEFAULT_SIMILARITY}", new_rule(articles))]
    if sweep:
        rows += [(f"new at {t:.2f}", new_rule(articles, t))
                 for t in (0.1, 0.12, 0.15, 0.18, 0.22, 0.25, 0.3, 0.35)]
    for name, stories in rows:
        precision, recall = pairwise(labels, stories)
        print(f"{name:<34} {len(set(stories)):>7} {precision:>9.3f} {recall:>6.3f}")


if __name__ == "__main__":
    main("--sweep" in sys.argv[1:])
