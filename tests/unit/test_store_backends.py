"""rasd/store behaves the same on SQLite and PostgreSQL: every test here runs on both
(`store_target`), through the query modules, and reads back on a connection of its own."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest

from rasd.store import (alerts, articles, digests, reports, retention, runs, schema, seen,
                        statements)
from rasd.store.database import Store, open_store
from rasd.store.dedup_index import DedupIndex
from rasd.store.errors import DatabaseError, PostgresError, describe_database_error
from rasd.store.health import check_health
from rasd.store.maintenance import checkpoint_and_optimize
from rasd.store.postgres import PostgresConnection, to_pyformat
from rasd.store.rematch import rematch
from rasd.store.schema import SCHEMA_VERSION, postgres_schema
from rasd.text.similarity import Signature
from rasd.text.watchlist import Watchlist, parse_topic
from tests.conftest import execute, query

NOW = datetime(2026, 11, 23, 7, 0, tzinfo=timezone.utc)


def article(n: int, **columns) -> dict:
    return {"url": f"https://o.example/a/{n}", "source": "o", "title": f"title {n}",
            "text": f"text {n} about 100% of it", "fetched_at": f"2026-11-2{n}T10:00:00+00:00",
            **columns}


def test_ids_come_back_from_inserts_and_an_existing_url_is_left_alone(store_target):
    store = open_store(store_target)
    assert store.dialect == ("postgresql" if isinstance(store_target, str) else "sqlite")
    first = articles.save_article(store, article(1), [("t", "term", 2, 0, "s", "f")])
    second = articles.save_article(store, article(2), [])
    again = articles.save_article(store, article(1, title="changed"), [])
    assert (first.outcome, second.outcome, again) == ("new", "new", articles.Saved("existing",
                                                                                   None))
    assert second.article_id == first.article_id + 1
    assert query(store_target, "SELECT title FROM articles WHERE id = ?",
                 first.article_id) == [("title 1",)]
    run_id = runs.start_run(store, {"kind": "news", "status": "running", "started_at": "t"})
    assert runs.run_status(store, run_id) == "running"


def test_a_refetch_replaces_the_article_and_its_matches(store_target):
    store = open_store(store_target)
    saved = articles.save_article(store, article(1), [("t", "old", 1, 0, "s", "f")])
    updated = articles.save_article(store, article(1, title="new title"),
                                    [("t", "new", 1, 0, "s", "f"), ("t", "new", 3, 1, "s", "f")],
                                    refetch=True)
    assert updated == articles.Saved("updated", saved.article_id)
    assert query(store_target, "SELECT term, count FROM matches") == [("new", 3)]
    assert query(store_target, "SELECT title FROM articles") == [("new title",)]


def test_a_failed_transaction_leaves_nothing_and_a_nested_one_joins_it(store_target):
    store = open_store(store_target)
    with pytest.raises(RuntimeError):
        with store.transaction():
            articles.save_article(store, article(1), [])
            with store.transaction():
                articles.save_article(store, article(2), [])
            raise RuntimeError("half-way")
    assert query(store_target, "SELECT count(*) FROM articles") == [(0,)]
    with store.transaction():
        articles.save_article(store, article(1), [])
        with store.transaction():
            articles.save_article(store, article(2), [])
    assert query(store_target, "SELECT count(*) FROM articles") == [(2,)]


def test_a_database_error_is_a_database_error_and_the_transaction_rolls_back(store_target):
    store = open_store(store_target)
    with pytest.raises(DatabaseError):
        with store.transaction() as conn:
            articles.save_article(store, article(1), [])
            conn.execute("INSERT INTO matches (article_id, topic, term) VALUES (?, ?, ?)",
                         [999, "t", "x"])   # no such article: a foreign key
    assert query(store_target, "SELECT count(*) FROM articles") == [(0,)]
    assert store.value("SELECT 1") == 1   # the store is usable after it


def test_placeholders_percent_signs_and_literals(store_target):
    store = open_store(store_target)
    assert store.value("SELECT '?' || ? || '%' || '::'", ["x"]) == "?x%::"
    assert store.row("SELECT :a AS a, :b AS b", {"a": "1", "b": "it's"}) == {"a": "1",
                                                                            "b": "it's"}
    cursor = store.write("UPDATE articles SET title = ? WHERE url = ?", ["t", "none"])
    assert cursor.rowcount == 0


def test_seen_urls_and_drops(store_target):
    store = open_store(store_target)
    articles.save_article(store, article(1, original_url="https://o.example/listed"), [])
    articles.record_dropped(store, "https://o.example/d", "o", "short", "2026-11-22T00:00:00")
    assert seen.is_known(store, ("https://o.example/a/1",), "x") is True
    assert seen.is_known(store, ("https://nowhere",), "https://o.example/listed") is True
    assert seen.is_known(store, ("https://o.example/d",), "x") is True
    assert seen.is_known(store, ("https://o.example/d",), "x",
                         dropped_since="2026-11-23T00:00:00") is False


def test_duplicate_index_and_story_counts(store_target):
    store = open_store(store_target)
    index = DedupIndex(store)
    ids = [articles.save_article(store, article(n, source=s), []).article_id
           for n, s in ((1, "a"), (2, "b"), (3, "a"))]
    sig = Signature.of("كلمات كثيرة في نص طويل عن الأخبار اليوم " * 5)
    index.add(ids[0], sig, "2026-11-21T10:00:00+00:00")
    index.add(ids[0], sig, "2026-11-21T10:00:00+00:00")   # again: replaced, not doubled
    assert [c.article_id for c in index.duplicate_candidates(sig)] == [ids[0]]
    story = index.new_story()
    for article_id in ids:
        index.link(article_id, None, story)
        index.count_in_story(story, article_id)
    row = store.row("SELECT first_seen, last_seen, articles, outlets FROM stories WHERE id = ?",
                    [story])
    assert row == {"first_seen": "2026-11-21T10:00:00+00:00",
                   "last_seen": "2026-11-23T10:00:00+00:00", "articles": 3, "outlets": 2}
    index.refresh_story(story)
    assert store.row("SELECT articles, outlets FROM stories WHERE id = ?", [story]) == {
        "articles": 3, "outlets": 2}
    assert index.remove(ids[0]) and not index.remove(ids[0])
    assert query(store_target, "SELECT count(*) FROM dedup_bands") == [(0,)]


def test_alerts_queue_once_per_topic_and_story(store_target):
    store = open_store(store_target)
    saved = articles.save_article(store, article(1), [("alarm", "x", 1, 0, "s", "f")])
    index = DedupIndex(store)
    story = index.new_story()
    index.link(saved.article_id, None, story)
    assert alerts.queue_alerts(store, ["alarm"], "2026-11-01", "now") == 1
    assert alerts.queue_alerts(store, ["alarm"], "2026-11-01", "now") == 0
    alerts.record_attempt(store, "alarm", story, sent_at="2026-11-23T08:00:00")
    assert alerts.pending_alerts(store) == []
    assert alerts.sent_since(store, "alarm", "2026-11-23") == 1


def test_reports_digests_rematch_and_retention(store_target):
    store = open_store(store_target)
    articles.save_article(store, article(1), [("b", "y", 1, 0, "s", "f"),
                                             ("a", "x", 2, 0, "s", "f")])
    articles.save_article(store, article(2), [])
    [newest, oldest] = reports.recent_articles(store, None, 5)
    assert (oldest["topics"], newest["topics"]) in {("a,b", None), ("b,a", None)}
    assert reports.table_counts(store, ["articles", "matches"]) == {"articles": 2,
                                                                    "matches": 2}
    assert digests.matching_article_count(store, "2026-11-01", "2026-12-01") == 1
    digests.record_digest(store, "2026-11-21", "html", "d.html", "w1", 1)
    digests.record_digest(store, "2026-11-21", "html", "d.html", "w2", 1)
    assert digests.latest_digest(store)["written_at"] == "w2"
    report = rematch(store, Watchlist({"about": parse_topic("about", {"terms": ["about"]},
                                                            "w")}))
    assert report.articles == 2 and report.topics["about"] == 2
    assert retention.prune_unmatched_text(store, NOW + timedelta(days=60), 30) == 0
    store.write("DELETE FROM matches")
    assert retention.prune_unmatched_text(store, NOW + timedelta(days=60), 30) == 2
    assert query(store_target, "SELECT count(*) FROM articles WHERE text IS NULL") == [(2,)]
    assert checkpoint_and_optimize(store)[0] in (0, 1)


def test_a_statement_of_another_thread_waits_for_the_transaction(store_target):
    store = open_store(store_target)
    seen_inside = []
    with store.transaction():
        articles.save_article(store, article(1), [])
        other = threading.Thread(target=lambda: seen_inside.append(
            store.value("SELECT count(*) FROM articles")))
        other.start()
        other.join(0.2)
        assert other.is_alive()   # blocked on the store's lock until the commit
    other.join()
    assert seen_inside == [1]


def test_the_schema_version_is_current_and_doctor_is_sound(store_target):
    store = open_store(store_target)
    assert check_health(store_target).schema_version == SCHEMA_VERSION
    assert check_health(store_target).sound
    store.check_writable()


def test_upsert_keeps_columns_not_given(store_target):
    store = open_store(store_target)
    with store.transaction() as conn:
        statements.upsert(conn, "sources", [{"slug": "o", "name": "Outlet", "homepage": "h"}],
                          key=("slug",))
        statements.upsert(conn, "sources", [{"slug": "o", "name": "Renamed"}], key=("slug",))
    assert query(store_target, "SELECT slug, name, homepage FROM sources") == [
        ("o", "Renamed", "h")]


# --- PostgreSQL only ------------------------------------------------------------------------

def test_placeholders_are_translated_outside_literals_only():
    assert to_pyformat("SELECT '?', \"a?\", ? -- ?\n, :x, x::text, '%'") == \
        "SELECT '?', \"a?\", %s -- ?\n, %(x)s, x::text, '%%'"


def test_the_postgresql_schema_has_every_table_key_and_index():
    ddl = "\n".join(postgres_schema())
    assert '"id" BIGINT GENERATED BY DEFAULT AS IDENTITY' in ddl
    assert 'PRIMARY KEY ("article_id", "topic", "term")' in ddl
    assert 'CREATE UNIQUE INDEX "idx_articles_url" ON "articles" ("url")' in ddl
    assert '"idx_articles_unmatched" ON "articles" ("id") WHERE matched_at IS NULL' in ddl
    assert '"minhash" BYTEA' in ddl and "articles_fts" not in ddl


def test_two_processes_opening_a_new_database_at_once_migrate_it_once(pg_url):
    from multiprocessing import get_context

    with get_context("spawn").Pool(2) as pool:
        versions = pool.map(_open_and_version, [pg_url, pg_url])
    assert versions == [SCHEMA_VERSION, SCHEMA_VERSION]
    assert query(pg_url, "SELECT count(*) FROM rasd_schema") == [(1,)]


def _open_and_version(url: str) -> int:
    return open_store(url).value("SELECT version FROM rasd_schema")


def test_a_postgresql_database_of_version_7_is_upgraded_in_place(pg_url):
    """The Portable migrations after SQLITE_HISTORY run on an older PostgreSQL database:
    migration 8 drops `article_signatures.story_minhash`, the rows stay."""
    store = open_store(pg_url)
    saved = articles.save_article(store, article(1), [])
    signature = Signature.of("كلمات كثيرة في نص طويل عن الأخبار اليوم " * 5)
    DedupIndex(store).add(saved.article_id, signature, story_time="2026-11-21T10:00:00+00:00")
    execute(pg_url, "ALTER TABLE article_signatures ADD COLUMN story_minhash BYTEA",
            "UPDATE rasd_schema SET version = 7")

    upgraded = Store(pg_url, PostgresConnection(pg_url))   # another process opening it
    schema.migrate(upgraded)
    upgraded.conn.close()
    assert query(pg_url, "SELECT version FROM rasd_schema") == [(SCHEMA_VERSION,)]
    assert query(pg_url, "SELECT column_name FROM information_schema.columns WHERE "
                 "table_name = 'article_signatures' AND column_name = 'story_minhash'") == []
    assert query(pg_url, "SELECT article_id, shingles FROM article_signatures") == \
        [(saved.article_id, signature.shingles)]


def test_a_server_that_does_not_answer_is_one_line_without_the_password(postgres_cluster):
    url = f"postgresql://rasd:s3cret@127.0.0.1:{postgres_cluster.port}/no_such_db"
    with pytest.raises(PostgresError) as failed:
        open_store(url)
    line = describe_database_error(failed.value, url)
    assert "s3cret" not in line and "\n" not in line and "no_such_db" in line
    assert "createdb" in line


def test_postgresql_commits_articles_in_the_order_of_their_ids(pg_url):
    """A second writer's article waits for the first's transaction, so nobody following new
    articles by id (the story window) can see a higher id before a lower one commits. (The
    second is another worker: a connection of its own, not the process's store.)"""
    first, second = open_store(pg_url), Store(pg_url, PostgresConnection(pg_url))
    done = threading.Event()
    ids = {}

    def write_second():
        ids["second"] = articles.save_article(second, article(2), []).article_id
        done.set()

    with first.transaction():
        ids["first"] = articles.save_article(first, article(1), []).article_id
        writer = threading.Thread(target=write_second)
        writer.start()
        deadline = datetime.now() + timedelta(seconds=60)
        while not done.wait(0.05) and not query(
                pg_url, "SELECT 1 FROM pg_stat_activity WHERE wait_event = 'advisory' "
                "AND datname = current_database()"):
            assert datetime.now() < deadline, "the second writer neither waited nor wrote"
        assert not done.is_set()   # it waits: its article cannot commit ahead of the first
    writer.join(60)
    second.conn.close()
    assert done.is_set() and ids["second"] > ids["first"]
