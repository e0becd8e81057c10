"""Crawl workers (`rasd worker`) sharing one PostgreSQL queue, as real processes.

Several loopback outlets, each on its own server that counts the requests for every path and
notes each request's User-Agent (every worker is given its own), so the tests see which
worker crawled which outlet and that no page was downloaded twice. The store is one SQLite
file shared by the workers of this machine; the queue is the test's PostgreSQL database.
A page a test must catch mid-crawl is held by its server until the test releases it.
"""
from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from crawler.registry.shards import shard_of
from rasd.devsite.bulk import bulk_outlet
from tests.conftest import FAST, query, run_rasd
from tests.support.daemon import Daemon, SlowFixtureServer, wait_for

OUTLETS = 4
PAGES = 4
SHARDS = 4


class Site:
    """OUTLETS outlets o0..o3 on their own servers, and their registry."""

    def __init__(self, folder: Path, held: str | None = None):
        self.servers = [SlowFixtureServer(folder, delay=0, slow=lambda path: path == held)
                        for _ in range(OUTLETS)]
        self.outlets = []
        for number, server in enumerate(self.servers):
            server.__enter__()
            outlet = bulk_outlet(server, PAGES, first=number * PAGES, slug=f"o{number}")
            outlet.registry["download_delay"] = "0"
            self.outlets.append(outlet)
        self.registry = folder / "sources.toml"
        self.registry.write_text("".join(o.toml() for o in self.outlets), encoding="utf-8")
        self.pages = {server.url(f"/news/{n}.html")
                      for number, server in enumerate(self.servers)
                      for n in range(number * PAGES, (number + 1) * PAGES)}

    def close(self) -> None:
        for server in self.servers:
            server.close()


@pytest.fixture
def outlets(tmp_path):
    site = Site(tmp_path)
    yield site
    site.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path, pg_url) -> tuple[Path | str, tuple[str, ...]]:
    """The store (a SQLite file the workers of this machine share, with the queue in
    PostgreSQL; or one PostgreSQL database for both) and the queue's options."""
    if request.param == "sqlite":
        return tmp_path / "rasd.db", ("--queue", pg_url)
    return pg_url, ()


def worker(tmp_path: Path, db: Path | str, queue: tuple[str, ...], site: Site, name: str,
           *extra: str) -> Daemon:
    return Daemon(tmp_path, db, *queue, "--sources", str(site.registry), *FAST,
                  "-s", f"USER_AGENT=rasd-test-{name}", "--name", name, "--stalled-after", "2s",
                  *extra, command="worker")


def finish(process: Daemon, timeout: float = 240) -> str:
    """Wait for a `--no-wait` worker to exit on its own; its output."""
    try:
        code = process.proc.wait(timeout=timeout)
    except Exception:
        raise AssertionError(f"worker did not finish\n{process.output()}") from None
    assert code == 0, process.output()
    return process.output()


def stored(db: Path | str) -> dict[str, object]:
    return {"articles": query(db, "SELECT url, title, text FROM articles ORDER BY url"),
            "matches": query(db, "SELECT a.url, m.topic, m.term, m.count FROM matches m "
                                 "JOIN articles a ON a.id = m.article_id ORDER BY 1, 2, 3")}


def test_two_workers_crawl_every_page_once_each_outlet_on_one_worker(tmp_path, outlets, store):
    db, queue = store
    queued = run_rasd("enqueue", "--db", str(db), *queue, "--shards", str(SHARDS))
    assert queued.stdout.strip() == f"queued {SHARDS} shard crawls (0 already waiting)"
    again = run_rasd("enqueue", "--db", str(db), *queue, "--shards", str(SHARDS))
    assert again.stdout.strip() == f"queued 0 shard crawls ({SHARDS} already waiting)"

    first = worker(tmp_path, db, queue, outlets, "A", "--no-wait")
    second = worker(tmp_path, db, queue, outlets, "B", "--no-wait")
    with first, second:
        finish(first)
        finish(second)

    for server in outlets.servers:
        downloads = {path: n for path, n in server.requests.items() if path != "/robots.txt"}
        assert downloads and set(downloads.values()) == {1}, downloads   # each page once
        assert len(set(server.user_agents)) == 1, server.user_agents   # one worker per outlet
    assert {url for url, *_ in stored(db)["articles"]} == outlets.pages
    assert worker_runs(db) == [(f"worker {k}/{SHARDS}", "ok") for k in range(1, SHARDS + 1)]
    assert query(db, "SELECT count(*) FROM url_claims") == [(0,)]

    alone = tmp_path / "alone.db"   # the same site crawled by one `rasd crawl`
    for server in outlets.servers:
        server.requests.clear()
    run_rasd("crawl", "--db", str(alone), "--sources", str(outlets.registry), *FAST)
    assert stored(db) == stored(alone)
    assert stored(db)["matches"]


def test_a_killed_worker_job_is_retried_by_another_and_nothing_is_lost(tmp_path, store):
    held = f"/news/{PAGES - 1}.html"   # the last page of outlet o0
    site = Site(tmp_path, held=held)
    db, queue = store
    try:
        site.servers[0].hold()
        run_rasd("enqueue", "--db", str(db), *queue, "--shards", str(SHARDS))
        with worker(tmp_path, db, queue, site, "A", "--no-wait") as first:
            wait_for(lambda: site.servers[0].requests[held], "the held page requested",
                     daemon=first)
            running = query(db, "SELECT pid FROM crawl_runs WHERE status = 'running'")
            assert len(running) == 1, running
            crawl_pid = running[0][0]
            first.proc.send_signal(signal.SIGKILL)
            first.proc.wait()
            wait_for(lambda: not alive(crawl_pid), "the crawl child to die with its worker")
        site.servers[0].release()
        with worker(tmp_path, db, queue, site, "B", "--no-wait") as second:
            output = finish(second)
        assert "given to the queue again" in output
        assert "crawl run(s) of a dead worker marked interrupted" in output
        runs = query(db, "SELECT status, count(*) FROM crawl_runs GROUP BY 1 ORDER BY 1")
        assert runs == [("interrupted", 1), ("ok", SHARDS)]
        assert {url for url, *_ in stored(db)["articles"]} == site.pages
        assert query(db, "SELECT count(*) FROM url_claims") == [(0,)]
    finally:
        site.close()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def queued_shards(url: str) -> list[str]:
    import psycopg

    with psycopg.connect(url) as conn:
        if conn.execute("SELECT to_regclass('procrastinate_jobs')").fetchone()[0] is None:
            return []
        return sorted(row[0] for row in conn.execute(
            "SELECT args->>'shard' FROM procrastinate_jobs WHERE status = 'todo'"))


def test_the_scheduler_queues_the_shards_and_a_second_scheduler_is_refused(
        tmp_path, outlets, pg_url):
    db = tmp_path / "rasd.db"
    args = ("--queue", pg_url, "--shards", str(SHARDS), "--sources", str(outlets.registry))
    with Daemon(tmp_path, db, *args, "--every", "1h") as scheduler:
        shards = wait_for(lambda: len(queued_shards(pg_url)) == SHARDS and queued_shards(pg_url),
                          "the crawl tick's jobs", daemon=scheduler)
        assert shards == sorted(f"{k}/{SHARDS}" for k in range(1, SHARDS + 1))
        elsewhere = tmp_path / "elsewhere"   # another machine's scheduler: its own files
        elsewhere.mkdir()
        second = run_rasd("run", "--db", str(elsewhere / "rasd.db"), *args,
                          "--log-file", str(elsewhere / "rasd.log"), check=False)
        assert second.returncode == 1
        assert second.stderr.startswith("Error: another rasd scheduler uses this queue (")
        assert second.stderr.endswith("; not starting\n") and second.stderr.count("\n") == 1
        assert scheduler.proc.poll() is None
        with worker(tmp_path, db, ("--queue", pg_url), outlets, "A", "--no-wait") as crawler:
            finish(crawler)
        assert scheduler.stop() == 0
    assert {url for url, *_ in stored(db)["articles"]} == outlets.pages
    assert worker_runs(db) == [(f"worker {k}/{SHARDS}", "ok") for k in range(1, SHARDS + 1)]


def worker_runs(db: Path | str) -> list[tuple]:
    return query(db, "SELECT trigger, status FROM crawl_runs ORDER BY trigger")


def test_a_stopped_worker_gives_its_job_back(tmp_path, pg_url):
    held = f"/news/{PAGES - 1}.html"   # outlet o0's crawl hangs on it until killed
    site = Site(tmp_path, held=held)
    db, queue = tmp_path / "rasd.db", ("--queue", pg_url)
    try:
        site.servers[0].hold()
        run_rasd("enqueue", "--db", str(db), *queue, "--shards", str(SHARDS))
        with worker(tmp_path, db, queue, site, "A", "--stop-grace", "1s") as first:
            wait_for(lambda: site.servers[0].requests[held], "the held page requested",
                     daemon=first)
            assert first.stop(signal.SIGTERM) == 0, first.output()
        assert f"{shard_of('o0', SHARDS)}/{SHARDS}" in queued_shards(pg_url)
        assert query(db, "SELECT status FROM crawl_runs WHERE status != 'ok'") == [
            ("interrupted",)]
        site.servers[0].release()
        with worker(tmp_path, db, queue, site, "B", "--no-wait") as second:
            finish(second)
        assert {url for url, *_ in stored(db)["articles"]} == site.pages
    finally:
        site.close()
