"""What the sitemap window saves, and what a replay costs against the crawl it recorded.

Runs the local outlets of rasd/devsite/outlets.py (one gzip index of 400 daily sitemaps) and
prints ratios measured within this one run:
- requests and wall time of a crawl with RASD_SITEMAP_DAYS=2 against RASD_SITEMAP_DAYS=30;
- wall time of `rasd replay DIR` against the recorded crawl (`rasd crawl --record DIR`).

    .venv/bin/python benchmarks/outlets.py
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from rasd.devsite.outlets import NOW, daily_sitemaps
from rasd.devsite.server import FixtureServer
from rasd.devsite.site import LOOPBACK_POLITENESS


def timed(*args: str) -> float:
    """Wall time of one `rasd` process (a crawl needs its own: Scrapy's reactor runs once)."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "rasd", *args], check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    results = {}
    for days in (2, 30):
        with FixtureServer(tmp) as server:
            outlet = daily_sitemaps(server, days=400)
            outlet.registry.update(LOOPBACK_POLITENESS)
            # every daily sitemap's article exists, so a wide window really downloads them
            for back in range(2, days):
                day = (NOW - timedelta(days=back)).date().isoformat()
                outlet.page(f"/articles/{day}/story.html", back % 10)
            registry = tmp / f"sources-{days}.toml"
            registry.write_text(outlet.toml(), encoding="utf-8")
            record = tmp / f"rec-{days}"
            crawl = timed("crawl", "--sources", str(registry), "--db", str(tmp / f"{days}.db"),
                          "--record", str(record), "-s", f"RASD_NOW={NOW.isoformat()}",
                          "-s", f"RASD_SITEMAP_DAYS={days}")
            requests = sum(server.requests.values())
        replay = timed("replay", str(record), "--db", str(tmp / f"{days}-replay.db"))
        results[days] = (requests, crawl, replay)
        print(f"window {days:>2} days: {requests:>4} requests, crawl {crawl:5.2f} s, "
              f"replay {replay:5.2f} s")
    (r2, c2, _), (r30, c30, p30) = results[2], results[30]
    print(f"window 2 vs 30 days: {r2 / r30:.2f}x the requests, {c2 / c30:.2f}x the time")
    print(f"replay vs recorded crawl (30 days): {p30 / c30:.2f}x the time")


if __name__ == "__main__":
    main()
