"""A crawl's end meets a disk with no room left: run as a child in a mount namespace of its
own (`unshare`), where it mounts a tmpfs, so a non-root developer runs it too and nothing
outlives the process.

`python -m tests.support.no_room DIR RESERVE_KIB` opens a database on a 1 MiB tmpfs at DIR
with the run log extension of a real Scrapy crawler, fills every byte of the disk the way a
crawl's last batch would, stops the crawl as the store stage does (`store_failed`), and prints
as JSON how the run row ended and where the reserve stood.
"""
from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

from scrapy import Spider
from scrapy.utils.test import get_crawler

from crawler.extensions.runlog import CrawlRunLog
from crawler.signals import STORE_ERROR
from rasd.store.database import open_store
from rasd.store.reserve import reserve_path


def in_own_mount_namespace(folder: Path, reserve_kib: int) -> dict:
    """Run this module as a child in a new mount namespace (a user namespace too when not
    root); what it printed."""
    unshare = ["unshare", "--mount"] if os.geteuid() == 0 else ["unshare", "-rm"]
    result = subprocess.run([*unshare, sys.executable, "-m", __name__, str(folder),
                             str(reserve_kib)], capture_output=True, text=True, timeout=120,
                            cwd=Path(__file__).parents[2])
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def fill(folder: Path) -> None:
    """Write until the disk refuses even one more page."""
    with open(folder / "filler", "wb", buffering=0) as filler:
        for chunk in (64 * 1024, 4096, 512):
            try:
                while True:
                    filler.write(b"x" * chunk)
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise


def main(folder: Path, reserve_kib: int) -> None:
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)],
                   check=True)
    crawler = get_crawler(Spider, {"RASD_DB": str(folder / "rasd.db"),
                                   "RASD_STORE_RESERVE_KIB": reserve_kib})
    spider = Spider(name="news")
    runlog = CrawlRunLog.from_crawler(crawler)
    runlog.spider_opened(spider)
    path = reserve_path(runlog.store)
    held = path.exists() and path.stat().st_blocks * 512 >= reserve_kib * 1024
    fill(folder)
    crawler.stats.set_value(STORE_ERROR, "database or disk is full")
    crawler.stats.set_value("rasd/articles_new", 40)
    runlog.spider_closed(spider, "store_failed")
    runlog.store.conn.close()
    store = open_store(folder / "rasd.db")
    run, = store.rows("SELECT status, articles_new FROM crawl_runs")
    print(json.dumps({"held": held, "released": not path.exists(), **run}))


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
