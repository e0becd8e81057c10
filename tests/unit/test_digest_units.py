"""The digest's parts in-process: an old database without the dedup columns, and mail
settings (the digest of a replayed database is in tests/e2e/test_digest*.py)."""
from __future__ import annotations

import pytest
import sqlite_utils

from rasd.digest import MailSettings
from rasd.digest.chart import chart, sparkline
from rasd.digest.content import TopicSummary, load_digest
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
    stories = content.stories                              # the most recently updated first
    assert [[a.id for a in s.articles] for s in stories] == [[2], [1]]
    assert [s.outlets for s in stories] == [["b"], ["a"]]
    assert [s.topics for s in stories] == [["haftar"], ["haftar"]]
    assert content.topics["haftar"].label == "haftar"      # no description given: the slug
    assert stories[0].articles[0].published == "2026-11-20"
    assert stories[1].articles[0].segments == [("وصل ", False), ("حفتر", True),
                                               (" الى سرت", False)]


def test_a_password_is_never_sent_without_starttls():
    with pytest.raises(Exception, match="refusing to send RASD_SMTP_PASSWORD without STARTTLS"):
        MailSettings.from_env({"RASD_SMTP_HOST": "mail.example.org", "RASD_SMTP_USER": "u",
                               "RASD_SMTP_PASSWORD": "p", "RASD_SMTP_STARTTLS": "0"})


def test_surge_rule_and_chart_geometry():
    rising = TopicSummary("t", "t", 1, 3, 0, [f"d{n}" for n in range(14)], [1] * 13 + [3])
    assert rising.usual == 1.0 and rising.surge                # 3 >= 3 and 3 >= 2 × 1
    assert TopicSummary("t", "t", 1, 2, 0, [], [0] * 13 + [2]).surge is False   # under 3
    assert TopicSummary("t", "t", 1, 4, 0, [], [2] * 13 + [4]).surge is True    # 4 >= 2 × 2
    assert TopicSummary("t", "t", 1, 4, 0, [], [3] * 13 + [5]).surge is False   # 5 < 2 × 3
    drawn = chart(["a", "b", "c"], [0, 2, 4])
    assert [(b.height, b.y, b.last) for b in drawn.bars] == [(1, 27, False), (13, 15, False),
                                                             (26, 2, True)]
    assert drawn.width == 3 * 7 + 2 * 2 and sparkline([0, 2, 4]) == "▁▅█"
