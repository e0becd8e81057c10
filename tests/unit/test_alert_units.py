"""The watchlist's `alert` and `description` keys, and the alert's JSON facts."""
from __future__ import annotations

import pytest

from rasd.config import ConfigError
from rasd.digest.alerts import payload
from rasd.text.watchlist import parse_topic


def test_alert_and_description_are_read_and_checked():
    topic = parse_topic("haftar", {"terms": ["حفتر"], "alert": True,
                                   "description": " خليفة حفتر "}, "w")
    assert (topic.alert, topic.description) == (True, "خليفة حفتر")
    assert parse_topic("sirte", {"terms": ["سرت"]}, "w").alert is False
    with pytest.raises(ConfigError, match=r"w: 'alert' must be true or false"):
        parse_topic("x", {"terms": ["x"], "alert": "yes"}, "w")


def test_the_payload_carries_only_http_links_and_falls_back_to_the_slug():
    alert = {"topic": "haftar", "story_id": 7, "story_title": None, "title": "حفتر في بنغازي",
             "url": "javascript:alert(1)", "source": "evil", "first_seen": "2026-10-06",
             "articles": 1, "outlets": 1}
    facts = payload(alert, "")
    assert facts["url"] is None and facts["description"] == "haftar"
    assert facts["title"] == "حفتر في بنغازي"
