"""Pages/s of crawl workers (`rasd worker`) on one machine: 1 worker against 2, as a ratio.

Builds OUTLETS loopback outlets (rasd/devsite/bulk.py: 60-200 KB article pages, each outlet on
its own server, no two sharing a text), queues one job per shard (`rasd enqueue`, as many
shards as outlets) and times W `rasd worker --no-wait` processes until they have crawled them
all, into a fresh SQLite store each time (the queue: the PostgreSQL database you give). Two
kinds of outlet, in the same run:
- loopback: no politeness delay, so a crawl is bound by this machine's CPUs (extraction);
- polite: a per-outlet download delay (--delay, like production's 1 s), so a crawl mostly
  waits on the outlet, as crawls of real outlets do.
Prints pages/s for 1 and 2 workers and their ratio for each. It needs a PostgreSQL database
for the queue (an empty one; the tests' cluster, tests/support/postgres.py, makes one):

    .venv/bin/python benchmarks/crawl_workers.py postgresql://rasd@127.0.0.1:5432/bench
    .venv/bin/python benchmarks/crawl_workers.py URL --outlets 8 --pages 40 --delay 0.5
"""
from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from rasd.devsite.bulk import bulk_outlet
from rasd.devsite.outlets import NOW
from rasd.devsite.server import FixtureServer


def crawl(queue: str, registry: Path, db: Path, workers: int, shards: int) -> float:
    """Queue every shard, run `workers` workers until the queue is idle; the wall time."""
    rasd = [sys.executable, "-m", "rasd"]
    subprocess.run([*rasd, "enqueue", "--db", str(db), "--queue", queue,
                    "--shards", str(shards)], check=True, capture_output=True)
    started = time.perf_counter()
    children = [subprocess.Popen([*rasd, "worker", "--db", str(db), "--queue", queue,
                                  "--sources", str(registry), "--no-wait", "--name", f"w{n}",
                                  "-s", f"RASD_NOW={NOW.isoformat()}"],
                                 stderr=subprocess.DEVNULL)
                for n in range(workers)]
    codes = [child.wait() for child in children]
    wall = time.perf_counter() - started
    if any(codes):
        sys.exit(f"Error: a worker failed (exit codes {codes})")
    return wall


def measure(queue: str, tmp: Path, outlets: int, pages: int, delay: float, label: str
            ) -> dict[int, float]:
    """pages/s with 1 and 2 workers, each over a fresh copy of the site and a fresh store."""
    rates = {}
    for workers in (1, 2):
        with ExitStack() as servers:
            site = [servers.enter_context(FixtureServer(tmp)) for _ in range(outlets)]
            registry = tmp / f"sources-{label}-{workers}.toml"
            entries = []
            for number, server in enumerate(site):
                outlet = bulk_outlet(server, pages, first=number * pages, slug=f"o{number}")
                outlet.registry.update(download_delay=str(delay), concurrency="8")
                entries.append(outlet.toml())
            registry.write_text("".join(entries), encoding="utf-8")
            db = tmp / f"{label}-{workers}.db"
            wall = crawl(queue, registry, db, workers, shards=outlets)
            downloaded = sum(server.article_requests() for server in site)
        with sqlite3.connect(db) as conn:
            stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        if stored != outlets * pages or downloaded != stored:
            sys.exit(f"Error: {label}, {workers} worker(s): {downloaded} pages downloaded, "
                     f"{stored} stored, of {outlets * pages}")
        rates[workers] = downloaded / wall
        print(f"{label:<9} {workers} worker(s): {downloaded} pages in {wall:6.1f} s = "
              f"{rates[workers]:6.1f} pages/s", flush=True)
    return rates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("queue", help="postgresql:// URL of an empty database for the queue")
    parser.add_argument("--outlets", type=int, default=8)
    parser.add_argument("--pages", type=int, default=30, help="article pages per outlet")
    parser.add_argument("--delay", type=float, default=0.25,
                        help="the polite outlets' download delay, seconds")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="rasd-workers-"))
    results = {label: measure(args.queue, tmp, args.outlets, args.pages, delay, label)
               for label, delay in (("loopback", 0.0), ("polite", args.delay))}
    print()
    for label, rates in results.items():
        print(f"{label}: 2 workers / 1 worker = {rates[2] / rates[1]:.2f}")


if __name__ == "__main__":
    main()
