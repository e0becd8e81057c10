"""What the daemon adds to a crawl: a scheduled crawl against a direct `rasd crawl`.

Both re-crawl the fixture outlet (feeds and sitemap fetched, every article already stored), so
they do the same work; the figures are medians of N runs in this one process, reported as a
ratio. Also reported: the gap between the end of a crawl and the start of the next when the
schedule (1 s) is shorter than a crawl, i.e. how quickly the daemon picks up the next run.

    .venv/bin/python benchmarks/daemon_overhead.py [N]
"""
from __future__ import annotations

import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from rasd.devsite.server import FixtureServer
from rasd.devsite.site import LOOPBACK_POLITENESS, SITE, write_registry

RASD = [sys.executable, "-m", "rasd"]
SCHEDULED_OK = ("SELECT started_at, finished_at FROM crawl_runs WHERE trigger = 'scheduled' "
                "AND status = 'ok' ORDER BY id")


def scheduled_runs(db: Path) -> list[tuple[datetime, datetime]]:
    """Start and end of the daemon's successful crawls so far (none before the schema exists)."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            rows = conn.execute(SCHEDULED_OK).fetchall()
    except sqlite3.OperationalError:
        return []
    return [(datetime.fromisoformat(a), datetime.fromisoformat(b)) for a, b in rows]


def run_daemon(workdir: Path, db: Path, registry: Path, n: int) -> list[tuple[datetime, datetime]]:
    """`rasd run --every 1s` until it has finished `n` crawls; then SIGTERM, as systemd would."""
    log = workdir / "rasd.log"
    daemon = subprocess.Popen([*RASD, "run", "--db", str(db), "--every", "1s", "--sources",
                               str(registry), "--log-file", str(log)], cwd=workdir,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60 * n
    try:
        while len(runs := scheduled_runs(db)) < n:
            if daemon.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"the daemon ended or stalled before {n} crawls; see {log}")
            time.sleep(0.2)
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(timeout=60)
    return runs[:n]


def main(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp, FixtureServer(SITE) as site:
        tmp_path = Path(tmp)
        db = tmp_path / "rasd.db"
        registry = write_registry(tmp_path / "sources.toml", site.base_url,
                                  **LOOPBACK_POLITENESS)
        crawl = [*RASD, "crawl", "--db", str(db), "--sources", str(registry)]
        subprocess.run(crawl, check=True, capture_output=True)   # stores; the rest re-crawl
        direct = []
        for _ in range(n):
            start = time.perf_counter()
            subprocess.run(crawl, check=True, capture_output=True)
            direct.append(time.perf_counter() - start)
        runs = run_daemon(tmp_path, db, registry, n)
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
