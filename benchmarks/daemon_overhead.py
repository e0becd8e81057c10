"""What the daemon adds to a crawl: a scheduled crawl against a direct `rasd crawl`.

Both re-crawl the fixture outlet (feeds and sitemap fetched, every article already stored), so
they do the same work; the figures are medians of N runs in this one process, reported as a
ratio. Also reported: the gap between the end of a crawl and the start of the next when the
schedule (1 s) is shorter than a crawl, i.e. how quickly the daemon picks up the next run.

    .venv/bin/python benchmarks/daemon_overhead.py [N]
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.conftest import FAST, SITE, query, run_rasd, write_registry  # noqa: E402
from tests.support.daemon import Daemon, rows, wait_for  # noqa: E402
from tests.support.fixture_server import FixtureServer  # noqa: E402


def main(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp, FixtureServer(SITE) as site:
        tmp_path = Path(tmp)
        db = tmp_path / "rasd.db"
        registry = write_registry(tmp_path / "sources.toml", site.base_url)
        crawl = ["crawl", "--db", str(db), "--sources", str(registry), *FAST]
        run_rasd(*crawl)   # the first crawl stores the articles; the rest re-crawl
        direct = []
        for _ in range(n):
            start = time.perf_counter()
            run_rasd(*crawl)
            direct.append(time.perf_counter() - start)

        done = ("SELECT started_at, finished_at FROM crawl_runs WHERE trigger = 'scheduled' "
                "AND status = 'ok' ORDER BY id")
        with Daemon(tmp_path, db, "--every", "1s", "--sources", str(registry), *FAST) as daemon:
            wait_for(lambda: len(rows(db, done)) >= n, f"{n} scheduled crawls", timeout=60 * n,
                     daemon=daemon)
            daemon.stop()
        runs = [(datetime.fromisoformat(a), datetime.fromisoformat(b))
                for a, b in query(db, done)][:n]
        scheduled = [(end - start).total_seconds() for start, end in runs]
        gaps = [(nxt[0] - prev[1]).total_seconds() for prev, nxt in zip(runs, runs[1:])]

    d, s = statistics.median(direct), statistics.median(scheduled)
    print(f"re-crawl of the fixture outlet, median of {n}:")
    print(f"  direct `rasd crawl` process     {d:6.2f} s")
    print(f"  scheduled crawl (child process) {s:6.2f} s")
    print(f"  ratio scheduled / direct        {s / d:6.2f}")
    print(f"  gap between back-to-back runs   {statistics.median(gaps):6.2f} s (median), "
          f"{max(gaps):.2f} s (max); schedule every 1 s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
