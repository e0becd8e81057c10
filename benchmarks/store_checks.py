"""What the store's safety checks cost a crawl, as ratios measured in this one run.

    .venv/bin/python benchmarks/store_checks.py [--articles 20000]

A database of --articles seed articles (with their matches) is built through the store API.
Measured on it:
- the integrity check `rasd crawl` and `rasd replay` run before they start (quick_check), per
  100 MB, and against reading the file's bytes once (both from the page cache);
- the repair every crawl starts with (`repair_unmatched`) when there is nothing to repair,
  against one seen-URL look-up (the per-link cost of a crawl);
- the one-time repair after an upgrade, when a tenth of the articles have no `matched_at`,
  against matching those articles' texts alone (the work it must do anyway).
"""
from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from contextlib import closing
from pathlib import Path

from rasd.store.articles import save_article
from rasd.store.database import open_store
from rasd.store.health import check_health
from rasd.store.rematch import repair_unmatched
from rasd.store.seen import is_known
from rasd.text.watchlist import load_watchlist

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def best(function, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def build(path: Path, count: int) -> list[tuple[str, str]]:
    watchlist = load_watchlist(None)
    texts = [p.read_text(encoding="utf-8").partition("\n") for p in sorted(SEEDS.glob("*.txt"))]
    store = open_store(path)
    with store.transaction():
        for n in range(count):
            title, _, text = texts[n % len(texts)]
            text = f"{text}\nالنسخة {n}"
            found = watchlist.match_article(title, text)
            save_article(store, {"url": f"https://o.example/{n}", "source": "o", "title": title,
                                 "text": text, "fetched_at": "2026-11-20T09:00:00+00:00"},
                         [(m.topic, m.term, m.count, m.position, m.snippet, m.form)
                          for m in found])
    store.close()
    return [(title, text) for title, _, text in texts]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=20000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        measure(Path(tmp) / "bench.db", args.articles)


def measure(path: Path, articles: int) -> None:
    texts = build(path, articles)
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = path.stat().st_size

    check = best(lambda: check_health(path))
    read = best(lambda: path.read_bytes())
    print(f"database: {articles} articles, {size / 1e6:.0f} MB")
    print(f"quick_check: {check * 1e8 / size:.3f} s per 100 MB, {check / read:.1f}x reading "
          f"the file once")

    store = open_store(path)
    watchlist = load_watchlist(None)
    idle = best(lambda: repair_unmatched(store, watchlist), repeat=20)
    lookup = best(lambda: is_known(store, ("https://o.example/5",), "https://o.example/5"),
                  repeat=20)
    print(f"repair with nothing to repair: {idle * 1e3:.2f} ms, {idle / lookup:.1f}x one "
          "seen-URL look-up")

    unmarked = articles // 10
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE articles SET matched_at = NULL WHERE id % 10 = 0")
        conn.commit()
    start = time.perf_counter()
    report = repair_unmatched(store, watchlist)
    repair = time.perf_counter() - start
    matching = best(lambda: [watchlist.match_article(*texts[n % len(texts)])
                             for n in range(unmarked)], repeat=1)
    assert report.articles == unmarked
    print(f"repair of {unmarked} unmarked articles: {repair:.2f} s, {repair / matching:.2f}x "
          "matching their texts alone")
    store.close()


if __name__ == "__main__":
    main()
