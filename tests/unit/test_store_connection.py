"""The store's connection: one per database per process, kept; explicit transactions."""
from __future__ import annotations

import sqlite3
import threading
from contextlib import closing

import pytest

from rasd.store.database import open_store
from rasd.store.schema import SCHEMA_VERSION

SCHEMA_CHANGES = ("CREATE", "ALTER", "DROP")


def keywords(statements: list[str]) -> list[str]:
    return [s.split()[0].upper() for s in statements]


def test_opening_an_up_to_date_database_again_reuses_its_connection_and_runs_no_ddl(
        tmp_path, monkeypatch):
    path = tmp_path / "rasd.db"
    created: list[str] = []
    open_store(path, trace=created.append).close()
    assert "CREATE" in keywords(created)   # a new file gets its schema (the trace sees DDL)

    statements: list[str] = []
    store = open_store(path, trace=statements.append)
    assert not set(keywords(statements)) & {*SCHEMA_CHANGES, "INSERT", "UPDATE", "BEGIN"}
    assert statements.count("PRAGMA user_version") == 1
    opened = len(statements)

    monkeypatch.chdir(tmp_path)
    assert open_store("rasd.db") is store            # another spelling of the same file
    assert open_store(path, trace=statements.append) is store
    assert len(statements) == opened                 # reused: not even a PRAGMA


def test_the_connection_is_in_wal_mode_with_foreign_keys_on(tmp_path):
    store = open_store(tmp_path / "rasd.db")
    assert store.value("PRAGMA journal_mode") == "wal"
    assert store.value("PRAGMA foreign_keys") == 1
    assert store.value("PRAGMA user_version") == SCHEMA_VERSION
    with pytest.raises(sqlite3.IntegrityError):   # a match needs its article
        store.write("INSERT INTO matches (article_id, topic, term) VALUES (99, 't', 'x')")


def test_a_transaction_commits_at_its_end_and_rolls_back_on_error(tmp_path):
    path = tmp_path / "rasd.db"
    store = open_store(path)
    outside = sqlite3.connect(path)   # another process's view
    with closing(outside):
        with store.transaction() as conn:
            conn.execute("INSERT INTO stories (articles, outlets) VALUES (1, 1)")
            with store.transaction() as inner:   # nested: joins the outer one
                inner.execute("INSERT INTO stories (articles, outlets) VALUES (2, 1)")
            assert outside.execute("SELECT count(*) FROM stories").fetchone()[0] == 0
        assert outside.execute("SELECT count(*) FROM stories").fetchone()[0] == 2

        with pytest.raises(RuntimeError):
            with store.transaction() as conn:
                conn.execute("INSERT INTO stories (articles, outlets) VALUES (3, 1)")
                raise RuntimeError("half-way")
        assert outside.execute("SELECT articles FROM stories").fetchall() == [(1,), (2,)]
        assert not store.conn.in_transaction


def test_another_thread_waits_for_a_transaction_instead_of_joining_it(store_target):
    store = open_store(store_target)
    started = threading.Event()

    def heartbeat() -> None:
        started.set()
        store.write("INSERT INTO stories (title) VALUES ('heartbeat')")

    other = threading.Thread(target=heartbeat)
    with pytest.raises(RuntimeError):
        with store.transaction() as conn:
            conn.execute("INSERT INTO stories (title) VALUES ('crawl')")
            other.start()
            started.wait()
            other.join(timeout=0.2)
            assert other.is_alive(), "the other thread must wait for this transaction"
            raise RuntimeError("the crawl's write fails")
    other.join()
    assert [r["title"] for r in store.rows("SELECT title FROM stories")] == ["heartbeat"]
