"""How the cost of checking one article for duplicates and its story grows with the database.

Builds two SQLite databases with 1,000 and 100,000 stored articles (index rows exactly as the
dedup stage writes them), then times DedupPipeline.process_item on the seed articles: the
fingerprint, both MinHash signatures, the exact, LSH and story-window look-ups. Prints the
median per check for each size and the ratio (goal <= 1.5). The checks alternate between the
two databases, so that other load on the machine weighs on both alike.

A second measure covers the worst case of story grouping: every other stored article belongs
to one big story (500 articles in the small database, 50,000 in the large one), and a new
article is decided, stored and joined to that story (save_article and the dedup stage's
`article_stored` in one transaction, rolled back afterwards so both databases stay the same).

Stored articles stand for unrelated articles: random MinHash signatures (as unrelated texts
have), published one every 5 minutes, so the 72-hour story window holds the same number of
articles in both databases, as it does when a real database grows by months of history.
Run: .venv/bin/python benchmarks/dedup_scaling.py [--sizes 1000 100000] [--repeat 40]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crawler.items import ArticleItem
from pipelines.dedup import DedupPipeline
from rasd.store.articles import save_article
from rasd.store.database import open_store
from rasd.store.dedup_index import DedupIndex
from rasd.text.similarity import DUP_PERMUTATIONS, Signature
from rasd.text.stories import weighted_terms

SEEDS = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))
NOW = datetime(2027, 6, 1, tzinfo=timezone.utc)
STEP = timedelta(minutes=5)


def build(path: Path, size: int) -> None:
    """`size` stored articles with their signatures, band keys and stories."""
    rng = np.random.default_rng(size)
    store = open_store(path)
    index = DedupIndex(store)
    with store.transaction():
        big_story = index.new_story()
        for n in range(size):
            placed = (NOW - STEP * (size - n)).isoformat(timespec="seconds")
            story_id = big_story if n % 2 == 0 else index.new_story()
            article_id = save_article(store, {
                "url": f"https://example.com/{n}", "source": "bench", "title": "t", "text": "x",
                "fetched_at": placed, "published_at": placed, "fingerprint": f"{n:064x}",
                "story_id": story_id}, []).article_id
            signature = Signature(
                int(rng.integers(200, 2000)),
                rng.integers(0, 2**32, DUP_PERMUTATIONS, dtype=np.uint32))
            index.add(article_id, signature, placed)
            index.count_in_story(story_id, article_id)
    store.close()   # the last connection to close checkpoints the WAL into the file


class Discard(Exception):
    """Raised to roll a timed write back."""


def check(pipeline: DedupPipeline, item: ArticleItem) -> float:
    """Decide one article against the database alone."""
    start = time.perf_counter()
    pipeline.process_item(item)
    elapsed = time.perf_counter() - start
    forget(pipeline, item["url"], pipeline.pending[item["url"]].terms)
    return elapsed


def forget(pipeline: DedupPipeline, key: int | str, terms: Counter[str]) -> None:
    """Take a timed article back out of the pipeline's memory, as if never seen."""
    if key in pipeline.window:
        pipeline.window.remove(key, terms)
    pipeline.pending.pop(key, None)


def join(pipeline: DedupPipeline, item: ArticleItem) -> float:
    """Decide, store and join one article to the big story; rolled back afterwards."""
    store = pipeline.index.store
    start = time.perf_counter()
    pipeline.process_item(item)
    pipeline.pending[item["url"]].story_key = 1   # the big story
    try:
        with store.transaction():
            saved = save_article(store, {k: item.get(k) for k in (
                "url", "source", "title", "text", "fetched_at", "fingerprint")}, [])
            pipeline.article_stored(item, saved.article_id, store, Counter())
            elapsed = time.perf_counter() - start
            raise Discard
    except Discard:
        forget(pipeline, saved.article_id, weighted_terms(item["title"], item["text"]))
        return elapsed


def time_runs(paths: list[Path], repeat: int, run) -> list[list[float]]:
    """Per database, the time of each `run` of a seed article. Runs alternate between the
    databases, so a change in the machine's load (other processes) falls on every size alike."""
    pipelines = [DedupPipeline(str(path), 0.6, 0.8, 0.2, 72) for path in paths]
    for pipeline in pipelines:
        pipeline.open_spider()
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    timings: list[list[float]] = [[] for _ in paths]
    for r in range(repeat):
        for i, text in enumerate(texts):
            for pipeline, times in zip(pipelines, timings):
                item = ArticleItem(url=f"https://example.com/new/{r}/{i}", text=text,
                                   source="bench", title="t",
                                   fetched_at=NOW.isoformat(timespec="seconds"))
                times.append(run(pipeline, item))
                pipeline.pending_fingerprints.clear()
    return timings


def report(title: str, sizes: list[int], timings: list[list[float]]) -> None:
    medians = [statistics.median(t) for t in timings]
    print(title)
    for size, times, median in zip(sizes, timings, medians):
        print(f"{size:>7} stored articles: median {median * 1e3:.2f} ms"
              f" (p90 {statistics.quantiles(times, n=10)[-1] * 1e3:.2f} ms, {len(times)} runs)")
    print(f"ratio {sizes[1]}/{sizes[0]}: {medians[1] / medians[0]:.2f} (goal <= 1.5)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[1000, 100_000])
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = [Path(tmp) / f"bench-{size}.db" for size in args.sizes]
        for size, path in zip(args.sizes, paths):
            start = time.perf_counter()
            build(path, size)
            print(f"built {size:>7} stored articles in {time.perf_counter() - start:.0f} s,"
                  f" {path.stat().st_size / 2**20:.0f} MiB")
        report("check one article (process_item):", args.sizes,
               time_runs(paths, args.repeat, check))
        report("decide, store and join the big story (half of the stored articles):",
               args.sizes, time_runs(paths, args.repeat, join))


if __name__ == "__main__":
    main()
