"""Politeness under failure, through `rasd crawl`: Retry-After waited for or respected across
crawls, a failing outlet left alone, and `rasd status` saying so."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

from rasd.devsite.outlets import TEXTS, article_page, rss_document
from rasd.devsite.server import FixtureServer, Reply
from tests.conftest import FAST, query, run_rasd

RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}


def one_outlet(server: FixtureServer, tmp_path: Path) -> Path:
    title, paragraphs = TEXTS[0]
    server.overrides["/news/1.html"] = Reply(200, article_page(title, paragraphs).encode(),
                                             {"Content-Type": "text/html; charset=utf-8"})
    registry = tmp_path / "sources.toml"
    registry.write_text(f'[sources.busy]\nname = "busy"\nhomepage = "{server.base_url}/"\n'
                        f'feeds = ["{server.base_url}/rss.xml"]\nallow_private = true\n',
                        encoding="utf-8")
    return registry


def feed(server: FixtureServer) -> Reply:
    link = server.url("/news/1.html")
    return Reply(200, rss_document([f"<item><title>t</title><link>{link}</link></item>"]), RSS)


def test_a_short_retry_after_is_waited_for_then_retried(tmp_path: Path):
    db = tmp_path / "rasd.db"
    with FixtureServer(tmp_path) as server:
        registry = one_outlet(server, tmp_path)
        server.overrides["/rss.xml"] = [Reply(503, b"busy", {**RSS, "Retry-After": "1"}),
                                        feed(server)]
        run_rasd("crawl", "--db", str(db), "--sources", str(registry), *FAST)
        assert server.requests["/rss.xml"] == 2
    assert [url for (url,) in query(db, "SELECT url FROM articles")] == [
        server.url("/news/1.html")]
    [(stats,)] = query(db, "SELECT stats FROM crawl_runs")
    assert json.loads(stats)["rasd/retry_after/waited"] == 1
    assert query(db, "SELECT consecutive_failures FROM outlet_health") == [(0,)]


def test_a_long_retry_after_and_repeated_failures_make_the_outlet_rest(tmp_path: Path,
                                                                      store_target):
    """On both backends: the outlet's health is store state, read back by the next crawl."""
    db = store_target
    with FixtureServer(tmp_path) as server:
        registry = one_outlet(server, tmp_path)
        server.overrides["/rss.xml"] = Reply(503, b"busy", {**RSS, "Retry-After": "7200"})
        started = datetime.now(timezone.utc).replace(microsecond=0)   # stored to the second
        first = run_rasd("crawl", "--db", str(db), "--sources", str(registry), *FAST)
        assert server.requests["/rss.xml"] == 1   # not retried at once: it asked for 2 hours
        assert "Traceback" not in first.stderr
        [(failures, next_attempt)] = query(
            db, "SELECT consecutive_failures, next_attempt_at FROM outlet_health")
        assert failures == 1
        assert datetime.fromisoformat(next_attempt) >= started + timedelta(hours=2)
        second = run_rasd("crawl", "--db", str(db), "--sources", str(registry), *FAST)
        assert server.requests["/rss.xml"] == 1   # left alone
    skipped = [ln for ln in second.stderr.splitlines() if "outlet busy skipped" in ln]
    assert len(skipped) == 1 and "HTTP 503" in skipped[0]
    assert "resting: 1 failing outlets skipped" in second.stdout
    status = run_rasd("status", "--db", str(db)).stdout
    assert "failing outlets" in status and "busy" in status.split("failing outlets")[1]
    listed = run_rasd("sources", "list", "--sources", str(registry), "--db", str(db)).stdout
    assert "failing x1" in listed
