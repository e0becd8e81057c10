"""A batch of the store stage is one transaction: articles, matches, dedup rows and stories
commit together or not at all, and the crawl's counters follow the commit. On SQLite and on
PostgreSQL, each failure injected in the database itself (a trigger; on PostgreSQL also the
server ending the connection mid-batch)."""
from __future__ import annotations

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
from rasd.store.errors import DatabaseError
from rasd.store.validators import listing_validators
from tests.conftest import SEED_FILES, execute, query

TABLES = ("articles", "matches", "article_signatures", "dedup_bands", "stories")
COUNTERS = ("rasd/articles_new", "rasd/stories_new", "rasd/duplicates")


def stages(db: Path | str, batch: int):
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


def counts(db: Path | str) -> dict[str, int]:
    return {t: query(db, f"SELECT count(*) FROM {t}")[0][0] for t in TABLES}


def fail_half_way(db: Path | str, backend: str, table: str, limit: int, fault: str) -> str:
    """Make the `limit`+1-th insert into `table` fail with `fault`; the SQL that undoes it."""
    if backend == "sqlite":
        execute(db, f"CREATE TRIGGER fail_half_way BEFORE INSERT ON {table} "
                    f"WHEN (SELECT count(*) FROM {table}) >= {limit} "
                    f"BEGIN SELECT RAISE({fault}, 'disk full (test)'); END")
        return "DROP TRIGGER fail_half_way"
    action = {"RAISE": "RAISE EXCEPTION 'disk full (test)'",
              "TERMINATE": "PERFORM pg_terminate_backend(pg_backend_pid())"}[fault]
    execute(db, f"CREATE FUNCTION fail_half_way() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN IF (SELECT count(*) FROM {table}) >= {limit} THEN {action}; END IF; "
                f"RETURN NEW; END $$",
            f"CREATE TRIGGER fail_half_way BEFORE INSERT ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION fail_half_way()")
    return f"DROP TRIGGER fail_half_way ON {table}"


def feed(pipelines, items) -> None:
    for item in items:
        for pipeline in pipelines:
            item = pipeline.process_item(item)


@pytest.mark.parametrize("backend, table, fault, message", [
    # a failing statement: the transaction stays open
    ("sqlite", "matches", "ABORT", "disk full (test)"),
    ("postgresql", "matches", "RAISE", "disk full (test)"),
    # a failure that ends the transaction itself
    ("sqlite", "matches", "ROLLBACK", "disk full (test)"),
    # the server ends the connection mid-batch (a restart, an administrator): the error comes
    # as the server's admin_shutdown (57P01) or as a lost connection, depending on which of
    # psycopg's reads meets it first; both say what to do
    ("postgresql", "matches", "TERMINATE", ": run the command again"),
    # written by the dedup stage, on the store's signal
    ("sqlite", "article_signatures", "ABORT", "disk full (test)"),
    ("postgresql", "article_signatures", "RAISE", "disk full (test)"),
])
def test_a_batch_that_fails_half_way_stores_nothing_and_counts_nothing(
        request, tmp_path, backend, table, fault, message):
    db = tmp_path / "rasd.db" if backend == "sqlite" else request.getfixturevalue("pg_url")
    crawler, pipelines = stages(db, batch=3)
    items = seed_items()
    found = [len(KeywordsPipeline.from_crawler(crawler).process_item(i.copy())["matches"])
             for i in items]
    assert all(found), "every seed matches the watchlist"
    # fail on the last article's second match, or on its signature
    limit = found[0] + found[1] + 1 if table == "matches" else 2
    undo = fail_half_way(db, backend, table, limit, fault)

    feed(pipelines, items)

    assert counts(db) == dict.fromkeys(TABLES, 0)
    stats = crawler.stats.get_stats()
    assert not {k: stats[k] for k in COUNTERS if k in stats}
    assert stats["rasd/store_failures"] == 1
    assert message in stats["rasd/store_error"]   # the crawl stops with this line
    assert pipelines[2].pending == []   # dropped, not retried: its URLs are fetched next crawl

    if fault == "TERMINATE":   # the dedup stage's next read meets the lost connection too
        with pytest.raises(DatabaseError, match="connection is closed"):
            feed(pipelines, seed_items())
    else:
        feed(pipelines, seed_items())   # a failed store writes nothing more in this crawl
        assert stats["rasd/articles_not_stored"] == 6
    assert counts(db)["articles"] == 0

    crawler, pipelines = stages(db, batch=3)   # the next crawl

    execute(db, undo)   # the same batch once the failure is gone
    feed(pipelines, seed_items())
    assert counts(db)["articles"] == 3 and counts(db)["matches"] == sum(found)
    assert counts(db)["article_signatures"] == 3
    assert crawler.stats.get_value("rasd/articles_new") == 3
    assert crawler.stats.get_value("rasd/stories_new") == counts(db)["stories"] > 0


def test_listing_validators_are_kept_back_when_a_batch_failed(store_target):
    db = str(store_target)
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
