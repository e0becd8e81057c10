"""`rasd status` shows the crawl queue: real `rasd enqueue`, real workers, real PostgreSQL.

The queue's figures are read as an operator reads them, from `rasd status` (text and --json),
while the jobs move: queued, one crawling (its outlet's page held by the test), its worker
killed (the job stalled), the next worker's crawl of it timed out (the last failure).
"""
from __future__ import annotations

import json
import signal

from crawler.registry.shards import shard_of
from tests.conftest import FAST, query, run_rasd, write_registry
from tests.e2e.test_crawl_workers import PAGES, SHARDS, Site, alive, worker
from tests.support.daemon import wait_for

HELD = f"/news/{PAGES - 1}.html"      # the last page of outlet o0: its crawl hangs on it
HELD_SHARD = f"{shard_of('o0', SHARDS)}/{SHARDS}"


def status(db, *args: str) -> dict:
    return json.loads(run_rasd("status", "--db", str(db), "--json", *args).stdout)


def queue(db, *args: str) -> dict:
    return status(db, *args)["queue"]


def test_without_a_queue_status_shows_no_queue(tmp_path, site):
    db = tmp_path / "rasd.db"
    registry = write_registry(tmp_path / "sources.toml", site.base_url)
    run_rasd("crawl", "--sources", str(registry), "--db", str(db), *FAST)
    text = run_rasd("status", "--db", str(db)).stdout
    assert text.startswith("daemon: not running") and "last crawls (UTC):" in text
    assert not [line for line in text.splitlines() if line.startswith(("queue", "  jobs:"))]
    assert set(status(db)) == {"database", "size_bytes", "counts", "daemon", "crawl_running",
                               "jobs", "last_digest", "runs", "failing_outlets"}

    result = run_rasd("status", "--db", str(db), "--queue", "redis://x", check=False)
    assert result.returncode == 1
    assert result.stderr == ("Error: --queue/RASD_QUEUE_URL must be a postgresql:// URL, "
                             "got 'redis://x'\n")


def test_status_follows_the_queue_through_a_crawl_a_dead_worker_and_a_failure(tmp_path,
                                                                             pg_url):
    site = Site(tmp_path, held=HELD)
    db = pg_url    # a PostgreSQL store: the queue is in its database, as for `rasd run`
    try:
        before = queue(db)
        assert before["ready"] is False and before["name"] == "crawls"
        assert query(db, "SELECT to_regclass('procrastinate_jobs') IS NULL") == [(True,)]
        assert "no job queued yet" in run_rasd("status", "--db", db).stdout

        run_rasd("enqueue", "--db", db, "--shards", str(SHARDS))
        queued = queue(db)
        assert queued["jobs"] == {"todo": SHARDS, "doing": 0, "succeeded": 0, "failed": 0,
                                  "cancelled": 0, "aborted": 0}
        assert queued["stalled"] == 0 and queued["workers"] == []
        assert queued["oldest_waiting_seconds"] >= 0 and queued["oldest_waiting_since"]
        assert queued["last_failure"] is None

        site.servers[0].hold()
        with worker(tmp_path, db, (), site, "A", "--no-wait") as first:
            wait_for(lambda: site.servers[0].requests[HELD], "the held page requested",
                     daemon=first)
            crawling = queue(db, "--stalled-after", "1h")
            # one job at a time, in order: shards 1..3 done, o0's shard (4) hangs
            assert crawling["jobs"] == {"todo": 0, "doing": 1, "succeeded": SHARDS - 1,
                                        "failed": 0, "cancelled": 0, "aborted": 0}
            assert crawling["stalled"] == 0 and crawling["oldest_waiting_since"] is None
            [alive_worker] = crawling["workers"]
            assert alive_worker["shards"] == [HELD_SHARD] and alive_worker["name"] == "A"
            text = run_rasd("status", "--db", db, "--stalled-after", "1h").stdout
            assert "jobs: todo 0, doing 1, succeeded 3, failed 0" in text
            assert "stalled (on silent workers): 0; oldest waiting: none due" in text
            workers = text.split("  workers (UTC):\n")[1].splitlines()
            assert workers[0].split()[:2] == ["worker", "name"]
            assert workers[2].split()[:2] == [str(alive_worker["id"]), "A"]
            assert workers[2].split()[-1] == HELD_SHARD

            crawl_pid = query(db, "SELECT pid FROM crawl_runs WHERE status = 'running'")[0][0]
            first.proc.send_signal(signal.SIGKILL)
            first.proc.wait()
            wait_for(lambda: not alive(crawl_pid), "the crawl child to die with its worker")
        stalled = wait_for(lambda: (q := queue(db, "--stalled-after", "1s"))["stalled"] and q,
                           "the dead worker's job stalled")
        assert stalled["jobs"]["doing"] == 1 and stalled["stalled"] == 1
        assert stalled["workers"][0]["shards"] == [HELD_SHARD]
        assert stalled["workers"][0]["silent_seconds"] >= 1
        assert queue(db, "--stalled-after", "1h")["stalled"] == 0   # a live-enough heartbeat

        with worker(tmp_path, db, (), site, "B", "--crawl-timeout", "3s",
                    "--stop-grace", "1s") as second:
            failed = wait_for(
                lambda: ((q := queue(db))["last_failure"] or {}).get("status") == "timed_out"
                and q, "the retried crawl timed out", daemon=second)
            assert second.stop() == 0, second.output()
        failure = failed["last_failure"]
        assert failure["shard"] == HELD_SHARD
        assert failure["error"] == "stopped after the 3s time limit"
        assert failure["job"]["status"] == "todo" and failure["job"]["scheduled_at"]
        assert failed["jobs"]["todo"] == 1 and failed["jobs"]["doing"] == 0
        assert failed["jobs"]["succeeded"] == SHARDS - 1
        text = run_rasd("status", "--db", db).stdout
        assert f"last failure: shard {HELD_SHARD}, crawl run" in text
        assert "timed_out at" in text and ": stopped after the 3s time limit" in text
    finally:
        site.close()
