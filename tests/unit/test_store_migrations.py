"""Databases made by earlier versions of rasd open, and are upgraded to the current schema.

SQLite only: the earlier versions' databases are SQLite files (PostgreSQL stores start at the
current schema; test_store_backends checks its version and the generated DDL)."""
from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner

from rasd.cli import cli
from rasd.store import schema
from rasd.store.database import open_store
from rasd.store.reports import recent_articles, recent_matches

FIXTURES = Path(__file__).parent / "fixtures"
OLD_DATABASES = ["schema_unversioned.sql", "schema_spine.sql"]


def restore(script: str, path: Path) -> Path:
    """A database file made from a dump of an old one."""
    with closing(sqlite3.connect(path)) as conn:
        conn.executescript((FIXTURES / script).read_text(encoding="utf-8"))
    return path


def shape(path: Path) -> dict[str, tuple[set[str], set[tuple]]]:
    """Each table's columns and its indexes (name, unique, columns), read with plain sqlite3."""
    with closing(sqlite3.connect(path)) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        result = {}
        for table in tables:
            columns = {r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')}
            indexes = {(name, unique, tuple(r[2] for r in conn.execute(
                        f'PRAGMA index_info("{name}")')))
                       for _, name, unique, origin, _ in conn.execute(
                           f'PRAGMA index_list("{table}")') if origin == "c"}
            result[table] = (columns, indexes)
        return result


def contents(path: Path, tables) -> dict[str, list[dict]]:
    with closing(sqlite3.connect(path)) as conn:
        conn.row_factory = sqlite3.Row
        return {t: [dict(r) for r in conn.execute(f'SELECT * FROM "{t}" ORDER BY rowid')]
                for t in tables}


def dates(path: Path) -> list[tuple]:
    """(published_at, published_date) of every article, by id."""
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(
            "SELECT published_at, published_date FROM articles ORDER BY id").fetchall()


def user_version(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("PRAGMA user_version").fetchone()[0]


@pytest.mark.parametrize("script", OLD_DATABASES)
def test_an_old_database_is_upgraded_to_the_current_schema_with_its_rows_intact(tmp_path, script):
    old = restore(script, tmp_path / "old.db")
    before_shape = shape(old)
    before = contents(old, before_shape)
    assert user_version(old) == 0

    store = open_store(old)

    fresh = tmp_path / "fresh.db"
    open_store(fresh)
    assert user_version(old) == user_version(fresh) == schema.SCHEMA_VERSION \
        == len(schema.MIGRATIONS)
    assert shape(old) == shape(fresh)
    after = contents(old, before_shape)
    # migrations 2 (published_date) and 4 (matched_at) fill columns: tested on their own below
    moved = {"published_at", "published_date", "matched_at"}
    dropped = {"story_minhash"}   # migration 8: the old story rule's signature, never read
    assert all(dropped.isdisjoint(columns) for columns, _ in shape(old).values())
    for table, rows in before.items():   # old columns kept, the added ones empty
        old_columns = before_shape[table][0] - moved - dropped
        assert [{k: row[k] for k in old_columns} for row in after[table]] == \
            [{k: row[k] for k in old_columns} for row in rows]
        assert all(value is None for row in after[table] for column, value in row.items()
                   if column not in old_columns | moved)
    stored = {r["url"] for r in recent_articles(store, None, 50)}
    assert stored == {row["url"] for row in before["articles"]}
    assert {(r["topic"], r["term"]) for r in recent_matches(store, None, 100)} == \
        {(row["topic"], row["term"]) for row in before["matches"]}


@pytest.mark.parametrize("script", OLD_DATABASES)
def test_upgrading_is_one_transaction_a_failed_migration_leaves_the_database_as_it_was(
        tmp_path, monkeypatch, script):
    old = restore(script, tmp_path / "old.db")
    before = shape(old)

    def broken(db):
        db["articles"].add_column("half_done", str)
        raise RuntimeError("the last migration failed")

    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, broken])
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(schema.MIGRATIONS))
    with pytest.raises(RuntimeError, match="the last migration failed"):
        open_store(old)
    assert shape(old) == before and user_version(old) == 0


def test_version_1_gets_published_date_and_a_bare_day_moves_out_of_published_at(tmp_path):
    old = restore("schema_v1.sql", tmp_path / "v1.db")
    assert user_version(old) == 1
    assert "published_date" not in shape(old)["articles"][0]

    store = open_store(old)

    assert user_version(old) == schema.SCHEMA_VERSION
    fresh = tmp_path / "fresh.db"
    open_store(fresh)
    assert shape(old) == shape(fresh)
    assert dates(old) == [(None, "2020-08-24"),
                          ("2020-08-24T21:30:00+00:00", "2020-08-24"),
                          (None, None)]
    published = {r["url"].rsplit("/", 1)[1]: r["published"]
                 for r in recent_articles(store, None, 10)}
    assert published == {"1": "2020-08-24", "2": "2020-08-24T21:30:00+00:00",
                         "3": "2020-08-25T06:00:02+00:00"}


def test_the_spine_database_bare_days_become_published_dates(tmp_path):
    old = restore("schema_spine.sql", tmp_path / "old.db")
    open_store(old)
    assert dates(old) == [(None, "2026-11-16"), (None, "2026-11-16")]


def test_a_database_from_a_newer_rasd_is_refused_in_one_line(tmp_path):
    newer = tmp_path / "newer.db"
    with closing(sqlite3.connect(newer)) as conn:
        conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    with pytest.raises(schema.SchemaTooNew):
        open_store(newer)
    result = CliRunner().invoke(cli, ["status", "--db", str(newer)])
    assert result.exit_code == 1
    assert result.output == (f"Error: {newer}: cannot open database: schema version "
                             f"{schema.SCHEMA_VERSION + 1} is newer than this rasd's "
                             f"({schema.SCHEMA_VERSION}); upgrade rasd\n")


@pytest.mark.parametrize("script", OLD_DATABASES)
def test_migration_4_marks_the_articles_whose_matches_were_committed(tmp_path, script):
    old = restore(script, tmp_path / "old.db")
    with closing(sqlite3.connect(old)) as conn:
        with_matches = {r[0] for r in conn.execute("SELECT DISTINCT article_id FROM matches")}
        all_ids = {r[0] for r in conn.execute("SELECT id FROM articles")}
    assert with_matches and all_ids - with_matches, "the fixture has both kinds"
    open_store(old)
    with closing(sqlite3.connect(old)) as conn:
        unmarked = {r[0] for r in conn.execute(
            "SELECT id FROM articles WHERE matched_at IS NULL")}
    # an article without matches may have been left half-written: the next crawl re-matches it
    assert unmarked == all_ids - with_matches


def test_migration_5_adds_the_alerts_table_to_a_version_4_database(tmp_path):
    """A database at version 4 (before alerts) gets the table and keeps its rows."""
    path = tmp_path / "v1.db"
    store = open_store(path)
    store.write("INSERT INTO sources (slug, name) VALUES ('a', 'A')")
    with store.transaction() as conn:
        conn.execute("DROP TABLE alerts")
        conn.execute("PRAGMA user_version = 4")
    store.close()
    upgraded = open_store(path)
    assert user_version(path) == schema.SCHEMA_VERSION
    assert upgraded.value("SELECT name FROM sources WHERE slug = 'a'") == "A"
    assert upgraded.rows("SELECT * FROM alerts") == []
