"""How digest rendering scales with a busy day: time per matching article at N and 10×N.

Builds synthetic days in real SQLite files (every 5th article a duplicate, stories of 3), then
loads and renders each format. Reports seconds and the per-article ratio (10×N over N); a ratio
near 1 means linear. Usage: python benchmarks/digest_scaling.py [N]
"""
from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from rasd.digest.content import load_digest
from rasd.digest.period import Period
from rasd.digest.render import RENDERERS
from rasd.store.database import open_store

DAY = date(2026, 11, 20)


def build(path: Path, n: int) -> None:
    store = open_store(path)
    db = store.db
    stories = [{"id": i, "title": f"قصة {i}", "first_seen": "2026-11-20T06:00:00+00:00"}
               for i in range(1, n // 3 + 2)]
    db["stories"].insert_all(stories)
    articles, matches = [], []
    for i in range(1, n + 1):
        articles.append({"id": i, "url": f"https://outlet{i % 40}.example/news/{i}",
                         "title": f"حفتر يلتقي وفد أفريكوم في بنغازي رقم {i}",
                         "source": f"o{i % 40}",
                         "published_at": "2026-11-20T07:00:00+00:00",
                         "fetched_at": f"2026-11-20T{8 + i % 10:02d}:{i % 60:02d}:00+00:00",
                         "duplicate_of": i - 1 if i % 5 == 0 else None, "story_id": i // 3 + 1})
        for topic, term in (("haftar", "حفتر"), ("africom", "أفريكوم")):
            matches.append({"article_id": i, "topic": topic, "term": term, "count": 1,
                            "position": 0,
                            "snippet": "قال المشير حفتر لوفد افريكوم في بنغازي " * 3})
    db["articles"].insert_all(articles, batch_size=1000)
    db["matches"].insert_all(matches, batch_size=1000)
    store.close()


def measure(n: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        build(path, n)
        store = open_store(path)
        start = time.perf_counter()
        content = load_digest(store, Period.day(DAY, "Africa/Tripoli"))
        times = {"load": time.perf_counter() - start}
        for fmt, render in RENDERERS.items():
            start = time.perf_counter()
            render(content)
            times[fmt] = time.perf_counter() - start
        store.close()
        return times


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    small, large = measure(n), measure(10 * n)
    print(f"{'stage':8} {n:>7} art. {10 * n:>7} art.  per-article ratio (10×N / N)")
    for stage in small:
        ratio = (large[stage] / (10 * n)) / (small[stage] / n)
        print(f"{stage:8} {small[stage]:9.3f} s {large[stage]:9.3f} s  {ratio:5.2f}")


if __name__ == "__main__":
    main()
