"""Databases made by earlier versions of rasd open, and are upgraded to the current schema."""
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


def contents(path: Path, tables) -> dict[str, list[tuple]]:
    with closing(sqlite3.connect(path)) as conn:
        return {t: conn.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall() for t in tables}


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
    assert user_version(old) == user_version(fresh) == schema.SCHEMA_VERSION == 2
    assert shape(old) == shape(fresh)
    after = contents(old, before_shape)
    for table, rows in before.items():   # old columns first, the added ones empty
        width = len(before_shape[table][0])
        assert [row[:width] for row in after[table]] == rows
        assert all(value is None for row in after[table] for value in row[width:])
    stored = {r["url"] for r in recent_articles(store, None, 50)}
    assert stored == {row[1] for row in before["articles"]}
    assert {(r["topic"], r["term"]) for r in recent_matches(store, None, 100)} == \
        {(row[1], row[2]) for row in before["matches"]}


@pytest.mark.parametrize("script", OLD_DATABASES)
def test_upgrading_is_one_transaction_a_failed_migration_leaves_the_database_as_it_was(
        tmp_path, monkeypatch, script):
    old = restore(script, tmp_path / "old.db")
    before = shape(old)

    def broken(db):
        db["articles"].add_column("half_done", str)
        raise RuntimeError("migration 2 failed")

    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, broken])
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 2)
    with pytest.raises(RuntimeError, match="migration 2 failed"):
        open_store(old)
    assert shape(old) == before and user_version(old) == 0


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
