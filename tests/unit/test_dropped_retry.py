"""A dropped page is not dropped for good: it is known (not fetched) for
RASD_DROPPED_RETRY_HOURS, then fetched again; stored at last, it leaves the dropped list."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from click.testing import CliRunner

from crawler.seen import SeenUrls
from rasd import clock
from rasd.cli import cli
from rasd.config import CrawlSettings
from rasd.store.articles import record_dropped, save_article
from rasd.store.database import open_store

DROPPED_AT = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
URL = "https://o.example/news/1"


def test_a_drop_is_retried_after_the_configured_hours_and_cleared_once_stored(store_target):
    store = open_store(store_target)
    record_dropped(store, URL, "o", "language en is not one of RASD_LANGUAGES (ar)",
                   clock.timestamp(DROPPED_AT))
    hours = CrawlSettings().dropped_retry_hours
    assert hours == 168
    with clock.use_clock(DROPPED_AT + timedelta(hours=hours - 1)):
        assert SeenUrls(store, hours).known(URL)
    with clock.use_clock(DROPPED_AT + timedelta(hours=hours + 1)):
        assert not SeenUrls(store, hours).known(URL)
    with clock.use_clock(DROPPED_AT + timedelta(hours=1)):
        assert not SeenUrls(store, 0.5).known(URL)     # a shorter setting retries sooner
        assert SeenUrls(store).known(URL)              # no setting: a drop is remembered

    listed = CliRunner().invoke(cli, ["articles", "--dropped", "--json",
                                      "--db", str(store_target)])
    assert '"reason": "language en is not one of RASD_LANGUAGES (ar)"' in listed.output

    save_article(store, {"url": URL, "source": "o", "text": "نص", "title": "عنوان"}, [])
    assert store.value("SELECT count(*) FROM dropped_urls") == 0
    assert SeenUrls(store, hours).known(URL)           # now as a stored article
    store.close()
