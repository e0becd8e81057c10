"""How fast `rasd crawl` is against bare extraction and a minimal Scrapy spider, on the same pages.

Builds a loopback outlet of N realistic article pages (rasd/devsite/bulk.py: 60-200 KB of HTML
each, a third of them mention the watchlist, all in one big story) and, for each N, runs side
by side in this one run:
- bare: `trafilatura.extract` over the same bodies, in this process;
- spider: benchmarks/minimal_spider.py (feed -> fetch -> trafilatura + langdetect -> SQLite);
- rasd: `rasd crawl` of the outlet.
It prints pages/s, CPU seconds and peak RSS of each, then the ratios: rasd / bare (the goal:
>= 1.0), and rasd's wall time per article at the largest N / at the smallest (the goal: <= 1.1),
with its main process's CPU time per article, which other work on the machine moves less.
CPU seconds and peak RSS are a process's own and its waited-for children's: for rasd, its
main process; its extraction workers (RASD_WORKERS) are children of a fork server and are
not counted. Wall
times share the machine with whatever else runs on it: compare within one run.

    .venv/bin/python benchmarks/crawl_throughput.py             # N = 500 and 2000
    .venv/bin/python benchmarks/crawl_throughput.py 500 4000
"""
from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import trafilatura

from rasd.devsite.bulk import bulk_outlet
from rasd.devsite.outlets import NOW
from rasd.devsite.server import FixtureServer
from rasd.devsite.site import LOOPBACK_POLITENESS

SPIDER = Path(__file__).with_name("minimal_spider.py")


@dataclass
class Run:
    wall: float       # seconds
    cpu: float        # user + system seconds of the process and the children it waited for
    rss_mb: float     # peak resident set of the process (or its largest waited-for child)

    def rate(self, pages: int) -> float:
        return pages / self.wall


# Runs a command and reports its resource usage. A process forked from this one starts with
# this one's peak RSS (all the pages are held here), so the command is started by a small
# launcher instead: its child's peak is the command's own.
LAUNCHER = """
import resource, subprocess, sys
code = subprocess.run(sys.argv[1:]).returncode
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"usage {usage.ru_utime + usage.ru_stime} {usage.ru_maxrss}", file=sys.stderr)
sys.exit(code)
"""


def child(*args: str, cwd: Path | None = None) -> Run:
    """Run one process to its end; its CPU time and peak RSS (RUSAGE_CHILDREN of a launcher)."""
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", LAUNCHER, *args], cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"Error: {args[2:4]} failed: {result.stderr[-2000:]}")
    _, cpu, rss = result.stderr.strip().splitlines()[-1].split()
    return Run(wall, float(cpu), int(rss) / 1024)


def bare(bodies: list[bytes]) -> Run:
    """trafilatura.extract with its defaults over every body, one process."""
    start, cpu = time.perf_counter(), time.process_time()
    for body in bodies:
        trafilatura.extract(body.decode("utf-8"))
    return Run(time.perf_counter() - start, time.process_time() - cpu, 0.0)


def count(db: Path, sql: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchone()[0]


def measure(pages: int, tmp: Path) -> dict[str, Run]:
    with FixtureServer(tmp) as server:
        outlet = bulk_outlet(server, pages)
        outlet.registry.update(LOOPBACK_POLITENESS)
        registry = tmp / f"sources-{pages}.toml"
        registry.write_text(outlet.toml(), encoding="utf-8")
        bodies = [reply.body for path, reply in server.overrides.items()
                  if path.startswith("/news/")]
        runs = {"bare": bare(bodies)}
        spider_db = tmp / f"spider-{pages}.db"
        # run outside the repository: its scrapy.cfg would give the spider rasd's settings
        # (the resolver that refuses loopback addresses to outlets not allowed them)
        runs["spider"] = child(sys.executable, "-m", "scrapy", "runspider", str(SPIDER),
                               "-a", f"feed={server.url('/feed.xml')}", "-a", f"db={spider_db}",
                               cwd=tmp)
        rasd_db = tmp / f"rasd-{pages}.db"
        runs["rasd"] = child(sys.executable, "-m", "rasd", "crawl", "--sources", str(registry),
                             "--db", str(rasd_db), "-s", f"RASD_NOW={NOW.isoformat()}")
    stored = count(rasd_db, "SELECT count(*) FROM articles")
    biggest = count(rasd_db, "SELECT max(articles) FROM stories")
    spider = count(spider_db, "SELECT count(*) FROM articles")
    print(f"N={pages}: rasd stored {stored}, spider {spider}; "
          f"rasd's biggest story has {biggest} articles")
    if stored != pages or spider != pages:
        sys.exit(f"Error: of {pages} pages, rasd stored {stored} and the spider {spider}")
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[500, 2000])
    sizes = sorted(parser.parse_args().sizes)
    tmp = Path(tempfile.mkdtemp(prefix="rasd-throughput-"))
    results = {pages: measure(pages, tmp) for pages in sizes}
    print(f"\n{'N':>6} {'run':<7} {'wall s':>8} {'pages/s':>8} {'CPU s':>7} {'CPU/wall':>8} "
          f"{'peak RSS MB':>11}")
    for pages, runs in results.items():
        for name, run in runs.items():
            rss = f"{run.rss_mb:11.0f}" if run.rss_mb else f"{'-':>11}"
            print(f"{pages:>6} {name:<7} {run.wall:8.1f} {run.rate(pages):8.1f} {run.cpu:7.1f} "
                  f"{run.cpu / run.wall:8.2f} {rss}")
    print()
    for pages, runs in results.items():
        rate = runs["rasd"].rate(pages)
        print(f"N={pages}: rasd / bare = {rate / runs['bare'].rate(pages):.2f}   "
              f"rasd / spider = {rate / runs['spider'].rate(pages):.2f}   "
              f"spider / bare = {runs['spider'].rate(pages) / runs['bare'].rate(pages):.2f}")
    small, large = sizes[0], sizes[-1]
    if large != small:
        per_article = {n: results[n]["rasd"].wall / n for n in (small, large)}
        cpu = {n: results[n]["rasd"].cpu / n for n in (small, large)}
        print(f"rasd per-article wall time, N={large} / N={small}: "
              f"{per_article[large] / per_article[small]:.2f}   "
              f"main-process CPU: {cpu[large] / cpu[small]:.2f}   "
              f"peak RSS N={large} / N={small}: "
              f"{results[large]['rasd'].rss_mb / results[small]['rasd'].rss_mb:.2f}")


if __name__ == "__main__":
    main()
