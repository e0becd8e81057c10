"""The digest's parts in-process: an old database without the dedup columns, and mail
settings (the digest of a replayed database is in tests/e2e/test_digest*.py)."""
from __future__ import annotations

import pytest
import sqlite_utils

from rasd.digest import MailSettings
from rasd.digest.content import load_digest
from rasd.digest.period import Period
from rasd.store.database import open_store
from tests.support.digest_db import DAY, TZ


def test_a_database_without_dedup_columns_shows_each_article_as_its_own_story(tmp_path):
    db = sqlite_utils.Database(tmp_path / "old.db")        # the spine's tables, nothing more
    db["articles"].insert_all([
        {"id": 1, "url": "https://a.example/1", "title": "حفتر في سرت", "source": "a",
         "published_at": None, "fetched_at": "2026-11-20T08:00:00+00:00"},
        {"id": 2, "url": "https://b.example/1", "title": "حفتر في سرت", "source": "b",
         "published_at": "2026-11-20", "fetched_at": "2026-11-20T08:05:00+00:00"}], pk="id")
    db["matches"].insert_all([{"article_id": i, "topic": "haftar", "term": "حفتر", "count": 1,
                               "snippet": "وصل حفتر الى سرت"} for i in (1, 2)])
    content = load_digest(open_store(tmp_path / "old.db"), Period.day(DAY, TZ))
    stories = content.topics["haftar"]
    assert [[a.id for a in s.articles] for s in stories] == [[1], [2]]
    assert [s.outlets for s in stories] == [["a"], ["b"]]
    assert stories[1].articles[0].published == "2026-11-20"
    assert stories[0].articles[0].segments == [("وصل ", False), ("حفتر", True),
                                               (" الى سرت", False)]


def test_a_password_is_never_sent_without_starttls():
    with pytest.raises(Exception, match="refusing to send RASD_SMTP_PASSWORD without STARTTLS"):
        MailSettings.from_env({"RASD_SMTP_HOST": "mail.example.org", "RASD_SMTP_USER": "u",
                               "RASD_SMTP_PASSWORD": "p", "RASD_SMTP_STARTTLS": "0"})
