"""The full-text index: what it adds to storing an article, and what a proclitic-expanded query
costs against a plain one.

    .venv/bin/python benchmarks/search_index.py [--articles 2000] [--repeat 3]

Articles are the seed texts with words shuffled (so that they are not duplicates), stored
with `save_article` into fresh SQLite files in one transaction, with the search index kept
in step and with its writes switched off. Queries: each figure is the best of --repeat runs,
compared within this one run: the FTS5 MATCH of the expanded expression (every stem and
proclitic sequence of each word) against the MATCH of the first word alone, and the whole
`search` (snippets in original characters included) for 20 results.
"""
from __future__ import annotations

import argparse
import random
import sqlite3
import tempfile
import time
from pathlib import Path

from rasd.store import search
from rasd.store.articles import save_article
from rasd.store.database import open_store
from rasd.store.search import FTS_TABLE
from rasd.text.normalize import normalize
from rasd.text.search_query import parse_query, to_fts

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
QUERIES = ["حفتر", "بحفتر", '"خليفة حفتر"', "صدام OR الدبيبة", "حفتر NOT صدام"]


def articles(count: int) -> list[dict]:
    rng = random.Random(7)
    texts = [p.read_text(encoding="utf-8").split() for p in sorted(SEEDS.glob("*.txt"))]
    rows = []
    for n in range(count):
        words = list(texts[n % len(texts)])
        rng.shuffle(words)
        rows.append({"url": f"https://bench.example/{n}", "title": " ".join(words[:12]),
                     "text": " ".join(words), "fetched_at": "2026-11-20T00:00:00+00:00"})
    return rows


def store_seconds(path: Path, rows: list[dict]) -> float:
    store = open_store(path)
    start = time.perf_counter()
    with store.transaction():
        for row in rows:
            save_article(store, row, [])
    elapsed = time.perf_counter() - start
    store.close()
    return elapsed


def without_index(path: Path, rows: list[dict]) -> float:
    """The same stores with the index's two writes switched off (normalization included)."""
    kept = search.index, search.unindex
    search.index = search.unindex = lambda *args: None
    try:
        return store_seconds(path, rows)
    finally:
        search.index, search.unindex = kept


def best(repeat: int, run) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = articles(args.articles)
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        plain = without_index(folder / "without.db", rows)
        indexed = store_seconds(folder / "with.db", rows)
        print(f"store {args.articles} articles: {plain:.2f}s without the index, "
              f"{indexed:.2f}s with it: x{indexed / plain:.2f}")
        store = open_store(folder / "with.db")
        conn = sqlite3.connect(folder / "with.db")

        def match(expression: str) -> list:
            return conn.execute(f'SELECT rowid FROM "{FTS_TABLE}" WHERE "{FTS_TABLE}" '
                                f"MATCH ? ORDER BY rank LIMIT 20", [expression]).fetchall()

        for text in QUERIES:
            query = parse_query(text)
            expression = to_fts(query)
            word = '"' + normalize(text.strip('"').split()[0]) + '"'
            expanded, single = (best(args.repeat, lambda e=e: match(e))
                                for e in (expression, word))
            whole = best(args.repeat, lambda: search.search(store, query, limit=20))
            print(f"query {text!r}: {expression.count(' OR ') + 1} alternatives; MATCH "
                  f"{expanded * 1000:.1f} ms vs {single * 1000:.1f} ms for {word} alone "
                  f"(x{expanded / max(single, 1e-6):.1f}); search with snippets "
                  f"{whole * 1000:.1f} ms, {len(match(expression))} results")
        conn.close()

if __name__ == "__main__":
    main()
