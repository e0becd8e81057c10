"""A batch of the store stage is one transaction: articles, matches, dedup rows and stories
commit together or not at all, and the crawl's counters follow the commit."""
from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from scrapy.utils.test import get_crawler

from crawler.items import ArticleItem
from crawler.middlewares.conditional_get import ConditionalGetMiddleware
from crawler.runner import crawl_settings
from pipelines.dedup import DedupPipeline
from pipelines.keywords import KeywordsPipeline
from pipelines.store import StorePipeline
from rasd.store.database import open_store
from rasd.store.validators import listing_validators
from tests.conftest import SEED_FILES

TABLES = ("articles", "matches", "article_signatures", "dedup_bands", "stories")
COUNTERS = ("rasd/articles_new", "rasd/stories_new", "rasd/duplicates")


def stages(db: Path, batch: int):
    """The crawler and its dedup, keywords and store stages, as a crawl configures them."""
    settings = crawl_settings({"RASD_DB": str(db), "RASD_STORE_BATCH": batch}).copy_to_dict()
    crawler = get_crawler(settings_dict={k: v for k, v in settings.items()
                                         if k.startswith("RASD_")})
    dedup, keywords = DedupPipeline.from_crawler(crawler), KeywordsPipeline.from_crawler(crawler)
    store = StorePipeline.from_crawler(crawler)
    dedup.open_spider()
    store.open_spider()
    return crawler, (dedup, keywords, store)


def seed_items() -> list[ArticleItem]:
    items = []
    for n, path in enumerate(SEED_FILES[:3]):
        title, _, text = path.read_text(encoding="utf-8").partition("\n")
        items.append(ArticleItem(url=path.as_uri(), source="seeds", title=title.strip(),
                                 text=text.strip(), lang="ar",
                                 fetched_at=f"2026-11-20T10:0{n}:00+00:00"))
    return items


def counts(db: Path) -> dict[str, int]:
    with closing(sqlite3.connect(db)) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def feed(pipelines, items) -> None:
    for item in items:
        for pipeline in pipelines:
            item = pipeline.process_item(item)


@pytest.mark.parametrize("table, action", [
    ("matches", "ABORT"),               # a failing statement: the transaction stays open
    ("matches", "ROLLBACK"),            # a failure that ends the transaction itself
    ("article_signatures", "ABORT"),    # written by the dedup stage, on the store's signal
])
def test_a_batch_that_fails_half_way_stores_nothing_and_counts_nothing(tmp_path, table, action):
    db = tmp_path / "rasd.db"
    crawler, pipelines = stages(db, batch=3)
    items = seed_items()
    found = [len(KeywordsPipeline.from_crawler(crawler).process_item(i.copy())["matches"])
             for i in items]
    assert all(found), "every seed matches the watchlist"
    # fail on the last article's second match, or on its signature
    limit = found[0] + found[1] + 1 if table == "matches" else 2
    with closing(sqlite3.connect(db)) as conn:
        conn.execute(f"CREATE TRIGGER fail_half_way BEFORE INSERT ON {table} "
                     f"WHEN (SELECT count(*) FROM {table}) >= {limit} "
                     f"BEGIN SELECT RAISE({action}, 'disk full (test)'); END")
        conn.commit()

    feed(pipelines, items)

    assert counts(db) == dict.fromkeys(TABLES, 0)
    stats = crawler.stats.get_stats()
    assert not {k: stats[k] for k in COUNTERS if k in stats}
    assert stats["rasd/store_failures"] == 1
    assert "disk full (test)" in stats["rasd/store_error"]   # the crawl stops with this line
    assert pipelines[2].pending == []   # dropped, not retried: its URLs are fetched next crawl

    feed(pipelines, seed_items())       # a failed store writes nothing more in this crawl
    assert counts(db)["articles"] == 0 and stats["rasd/articles_not_stored"] == 6

    crawler, pipelines = stages(db, batch=3)   # the next crawl

    with closing(sqlite3.connect(db)) as conn:   # the same batch once the failure is gone
        conn.execute("DROP TRIGGER fail_half_way")
        conn.commit()
    feed(pipelines, seed_items())
    assert counts(db)["articles"] == 3 and counts(db)["matches"] == sum(found)
    assert counts(db)["article_signatures"] == 3
    assert crawler.stats.get_value("rasd/articles_new") == 3
    assert crawler.stats.get_value("rasd/stories_new") == counts(db)["stories"] > 0


def test_listing_validators_are_kept_back_when_a_batch_failed(tmp_path):
    db = tmp_path / "rasd.db"
    url = "http://127.0.0.1:1/rss.xml"
    for failures, saved in ((1, (None, None)), (0, ('"v1"', None))):
        crawler = get_crawler(settings_dict={"RASD_DB": str(db)})
        middleware = ConditionalGetMiddleware.from_crawler(crawler)
        middleware.fresh[url] = {"url": url, "etag": '"v1"', "last_modified": None,
                                 "checked_at": "2026-11-20T10:00:00+00:00"}
        if failures:
            crawler.stats.inc_value("rasd/store_failures", failures)
        middleware.spider_closed(None, "finished")
        assert listing_validators(open_store(db), url) == saved
