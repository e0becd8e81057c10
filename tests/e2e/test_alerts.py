"""Alerts for topics with `alert = true`, at the end of the crawl that found them: through a real
SMTP server (aiosmtpd, STARTTLS, login) and a loopback webhook receiver, which fails first and
succeeds at the next crawl; once per story, and at most RASD_ALERT_PER_HOUR per topic. The alert
queue is store state: every test runs on SQLite and on PostgreSQL."""
from __future__ import annotations

import json
import threading
import tomllib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import REPO, execute, query, run_rasd
from tests.support.smtp_server import SmtpServer

USER, PASSWORD = "alert-mailer", "s3cret-for-this-test-only"
EVENTS = ("africom-1", "budget-1", "sharara-1")   # three events, all naming حفتر
WATCHLIST = """
replace = true

[topics.haftar]
description = "خليفة حفتر وأبناؤه"
terms = ["حفتر"]
alert = true

[topics.sirte]
terms = ["سرت"]
"""


class Receiver(ThreadingHTTPServer):
    """A webhook endpoint on 127.0.0.1: keeps every body; answers 500 while `failing`."""

    def __init__(self):
        self.bodies: list[dict] = []
        self.failing = True
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.bodies.append({"ok": not outer.failing, **body})
                self.send_response(500 if outer.failing else 204)
                self.end_headers()

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hook"

    def close(self):
        self.shutdown()
        self.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


def articles(folder: Path, ids=EVENTS) -> Path:
    """Three labelled articles (benchmarks/data/story_events) as replay files."""
    data = tomllib.loads((REPO / "benchmarks/data/story_events/articles.toml")
                         .read_text(encoding="utf-8"))["article"]
    folder.mkdir(parents=True, exist_ok=True)
    for article in (a for a in data if a["id"] in ids):
        (folder / f"{article['id']}.txt").write_text(
            article["title"] + "\n\n" + article["text"].strip() + "\n", encoding="utf-8")
    return folder


def unrelated(folder: Path) -> Path:
    """A later crawl that finds nothing for the alert topic: an Arabic sports report."""
    folder.mkdir(parents=True, exist_ok=True)
    source = REPO / "seeds" / "negatives" / "sport_league.txt"
    (folder / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def crawl(tmp_path, db, files, *settings, env=None):
    watchlist = tmp_path / "watchlist.toml"
    watchlist.write_text(WATCHLIST, encoding="utf-8")
    args = [arg for s in settings for arg in ("-s", s)]
    return run_rasd("replay", str(files), "--db", str(db), "--watchlist", str(watchlist),
                    *args, "--log-level", "INFO", env=env or {})


def smtp_env(smtp: SmtpServer) -> dict[str, str]:
    return {"RASD_SMTP_HOST": "127.0.0.1", "RASD_SMTP_PORT": str(smtp.port),
            "RASD_SMTP_USER": USER, "RASD_SMTP_PASSWORD": PASSWORD,
            "RASD_SMTP_FROM": "rasd@example.org", "RASD_SMTP_CAFILE": str(smtp.cafile)}


def test_mail_and_a_failing_webhook_then_success_at_the_next_crawl(tmp_path, receiver, store_target):
    db = store_target
    with SmtpServer(tmp_path, USER, PASSWORD) as smtp:
        env = smtp_env(smtp)
        settings = (f"RASD_ALERT_WEBHOOK={receiver.url}", "RASD_ALERT_EMAIL=desk@example.org")
        first = crawl(tmp_path, db, articles(tmp_path / "one"), *settings, env=env)
        stories = {s for (s,) in query(db, "SELECT DISTINCT story_id FROM articles")}
        assert len(stories) == 3                             # three events, three stories
        # mailed, once per story; the webhook failed: logged, kept, nothing marked sent
        assert len(smtp.received) == 3
        assert all(m.encrypted and m.recipients == ["desk@example.org"] for m in smtp.received)
        subjects = sorted(m.message["Subject"] for m in smtp.received)
        assert all(s.startswith("تنبيه رصد — خليفة حفتر وأبناؤه: ") for s in subjects)
        assert [b["ok"] for b in receiver.bodies] == [False] * 3
        assert "not delivered (attempt 1): HTTP Error 500" in first.stderr
        pending = query(db, "SELECT topic, mailed_at IS NOT NULL, posted_at, sent_at, attempts,"
                            " last_error FROM alerts ORDER BY story_id")
        assert [row[:5] for row in pending] == [("haftar", 1, None, None, 1)] * 3
        assert all("500" in row[5] for row in pending)

        receiver.failing = False                             # the receiver is back
        crawl(tmp_path, db, unrelated(tmp_path / "later"), *settings, env=env)
        assert len(smtp.received) == 3                       # no mail twice
        posted = [b for b in receiver.bodies if b["ok"]]
        assert sorted(b["story_id"] for b in posted) == sorted(stories)   # once per story
        assert {(b["topic"], b["description"]) for b in posted} == {("haftar", "خليفة حفتر وأبناؤه")}
        titles = {t for (t,) in query(db, "SELECT title FROM stories WHERE id IN (SELECT"
                                          " story_id FROM matches JOIN articles ON id ="
                                          " article_id WHERE topic = 'haftar')")}
        assert {b["title"] for b in posted} == titles
        assert query(db, "SELECT count(*) FROM alerts WHERE sent_at IS NULL") == [(0,)]

        crawl(tmp_path, db, articles(tmp_path / "one"), *settings, env=env)   # nothing new
        assert len(smtp.received) == 3 and len(receiver.bodies) == 6


def test_at_most_per_hour_alerts_per_topic_the_rest_wait(tmp_path, receiver, store_target):
    receiver.failing = False
    db = store_target
    settings = (f"RASD_ALERT_WEBHOOK={receiver.url}", "RASD_ALERT_PER_HOUR=2")
    crawl(tmp_path, db, articles(tmp_path / "one"), *settings)
    assert len(receiver.bodies) == 2
    assert query(db, "SELECT count(*) FROM alerts WHERE sent_at IS NULL") == [(1,)]
    crawl(tmp_path, db, unrelated(tmp_path / "later"), *settings)
    assert len(receiver.bodies) == 2                         # still within the hour
    # an hour later (the sent times moved back): the waiting alert goes out
    execute(db, "UPDATE alerts SET sent_at = '2000-01-01T00:00:00+00:00'"
                " WHERE sent_at IS NOT NULL")
    crawl(tmp_path, db, unrelated(tmp_path / "later"), *settings)
    assert len(receiver.bodies) == 3
    assert len({b["story_id"] for b in receiver.bodies}) == 3


def test_no_channel_or_no_alert_topic_sends_nothing(tmp_path, receiver, store_target):
    db = store_target
    crawl(tmp_path, db, articles(tmp_path / "one"))          # no webhook, no address
    assert receiver.bodies == [] and query(db, "SELECT count(*) FROM alerts") == [(0,)]
