"""The database: one kept connection per database per process, and explicit transactions.

`open_store(target)` is the one way in: `target` is a SQLite file (a path, the default) or a
PostgreSQL URL (postgresql://user@host:port/db; `rasd/store/postgres.py`, psycopg imported only
then). The first call in a process connects (SQLite: WAL, a busy timeout, foreign keys) and
brings the schema up to date (`rasd.store.schema`); every later call for the same database
returns that same `Store`, so a listing request or a daemon heartbeat costs no connection and
no schema check. Query modules see one interface whatever the database: `rows/row/value/write`
and `transaction()`, plain SQL with `?` placeholders, `store.dialect` for the rare spelling
that differs (`group_concat`).

Threads: the daemon's heartbeat (main thread) and its APScheduler jobs (worker threads) share
the process's one connection, opened with `check_same_thread=False` and guarded by a
re-entrant lock that every read and every transaction holds. The lock is needed because a
connection has one transaction state for all its threads: without it, one thread's
statement would silently join, or commit, another thread's transaction. One connection per
thread was the alternative; it buys nothing here, since SQLite admits one writer at a time
anyway and the daemon's statements are short, and it would multiply WAL readers and files.

The connection runs in autocommit mode (sqlite3 `isolation_level=None`, psycopg
`autocommit=True`): a statement outside `transaction()` commits on its own, and a transaction
is always the explicit BEGIN … COMMIT of `Store.transaction()` — `BEGIN IMMEDIATE` on SQLite
(the write lock up front), a plain `BEGIN` on PostgreSQL, where a read-then-write that must
not race is one atomic statement instead (ON CONFLICT, RETURNING, SELECT … FOR UPDATE).
"""
from __future__ import annotations

import atexit
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rasd.store.errors import (  # noqa: F401  (describe_database_error: its old home)
    BUSY_TIMEOUT_SECONDS,
    DatabaseError,
    describe_database_error,
)
from rasd.store.schema import migrate
from rasd.config import Target, describe, is_url, parse_target

if TYPE_CHECKING:
    import sqlite_utils

Params = Sequence[Any] | dict[str, Any]


class SqliteConnection(sqlite3.Connection):
    """sqlite3's connection, saying which database it is (`conn.dialect`), as the
    PostgreSQL one does (`rasd.store.postgres.PostgresConnection`)."""

    dialect = "sqlite"


class Store:
    """One open database: reads, explicit write transactions, and (SQLite) its sqlite-utils
    `db`. `path` is the SQLite file or the PostgreSQL URL as given; `dialect` is "sqlite" or
    "postgresql". Query modules in `rasd.store` use it; nothing outside `rasd.store` writes SQL.
    """

    def __init__(self, path: Target, conn: Any):
        self.path = path
        self.conn = conn
        self.dialect: str = conn.dialect
        self.lock = threading.RLock()
        self._depth = 0   # nesting of transaction() in the thread holding the lock

    @property
    def name(self) -> str:
        """How messages name the database (a URL without its password)."""
        return describe(self.path)

    @cached_property
    def db(self) -> sqlite_utils.Database:
        """The sqlite-utils view of a SQLite connection, for migrations and table
        introspection; imported on first use, because sqlite-utils (and numpy under it) costs
        a read-only command most of its start-up time."""
        if self.dialect != "sqlite":
            raise TypeError("sqlite-utils works on SQLite stores only")
        import sqlite_utils

        return sqlite_utils.Database(self.conn, execute_plugins=False)

    @property
    def closed(self) -> bool:
        if self.dialect != "sqlite":
            return self.conn.closed
        try:
            self.conn.total_changes   # raises on a closed connection; runs no SQL
        except sqlite3.ProgrammingError:
            return True
        return False

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        """One atomic write: BEGIN, COMMIT at the end, ROLLBACK on any error.

        On SQLite, `BEGIN IMMEDIATE` takes the write lock up front, so a transaction never
        fails half-way when it turns from reading to writing; another process's writer is
        waited for (busy timeout). On PostgreSQL rows are locked as they are written.
        A nested call joins the transaction around it: the outermost one commits.
        """
        with self.lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self.conn
                finally:
                    self._depth -= 1
                return
            self.conn.execute("BEGIN IMMEDIATE" if self.dialect == "sqlite" else "BEGIN")
            self._depth = 1
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:   # a RAISE(ROLLBACK) has already ended it
                    self.conn.execute("ROLLBACK")
                raise
            finally:
                self._depth = 0

    @contextmanager
    def read(self) -> Iterator[Any]:
        """The connection, for the statements of one read (no other thread in between)."""
        with self.lock:
            yield self.conn

    def rows(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        """Every row of a query, as dicts."""
        with self.read() as conn:
            cursor = conn.execute(sql, params)
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row)) for row in cursor]

    def row(self, sql: str, params: Params = ()) -> dict[str, Any] | None:
        """The first row of a query, or None."""
        found = self.rows(sql, params)
        return found[0] if found else None

    def value(self, sql: str, params: Params = ()) -> Any:
        """The first column of the first row of a query, or None."""
        with self.read() as conn:
            row = conn.execute(sql, params).fetchone()
        return row[0] if row else None

    def write(self, sql: str, params: Params = ()) -> Any:
        """One statement as its own transaction (or joining the one in progress); its cursor
        (`rowcount`; with RETURNING, its rows, read before the commit)."""
        with self.transaction() as conn:
            return _Result(conn.execute(sql, params))

    def group_concat(self, expression: str, distinct: bool = False) -> str:
        """The SQL aggregate joining `expression`'s values with commas: `group_concat` on
        SQLite (3.40 has no string_agg), `string_agg` on PostgreSQL."""
        inner = f"DISTINCT {expression}" if distinct else expression
        if self.dialect == "sqlite":
            return f"group_concat({inner})"
        return f"string_agg({inner}, ',')"

    def check_writable(self) -> None:
        """Raise the error a write would meet (read-only file, folder or file system; on
        PostgreSQL a read-only server or a user without rights), without changing anything:
        a command that writes fails before its work, not half-way."""
        with self.lock:
            if self.dialect == "sqlite":
                version = self.value("PRAGMA user_version")
                self.conn.execute("BEGIN IMMEDIATE")
                try:
                    self.conn.execute(f"PRAGMA user_version = {version:d}")   # dirties page 1
                finally:
                    self.conn.execute("ROLLBACK")
                return
            self.conn.execute("BEGIN")
            try:
                self.conn.execute("UPDATE rasd_schema SET version = version")
            finally:
                self.conn.execute("ROLLBACK")

    def close(self) -> None:
        """Close the connection; the next `open_store` of this database opens a new one."""
        with _stores_lock:
            if _stores.get(self.path) is self:
                del _stores[self.path]
        with self.lock:   # not inside _stores_lock: open_store may run inside a transaction
            self.conn.close()


class _Result:
    """A statement's outcome as `Store.write` returns it: `rowcount`, and the rows of its
    RETURNING clause fetched at once (SQLite would not finish the statement before COMMIT
    otherwise)."""

    def __init__(self, cursor: Any):
        self.rowcount = cursor.rowcount
        self._rows = cursor.fetchall() if cursor.description else []
        if cursor.description:
            self.rowcount = max(self.rowcount, len(self._rows))

    def fetchone(self) -> tuple | None:
        return self._rows[0] if self._rows else None

    def fetchall(self) -> list[tuple]:
        return list(self._rows)


_stores: dict[Target, Store] = {}
_stores_lock = threading.Lock()


def open_store(target: str | os.PathLike,
               trace: Callable[[str], None] | None = None) -> Store:
    """The process's store for the database at `target` (a SQLite path or a postgresql://
    URL), opened and migrated on first use.

    `trace`, when this call opens a SQLite connection, receives every SQL statement it runs
    (for debugging and for tests that count statements).
    """
    parsed = parse_target(target)
    key = parsed if is_url(parsed) else Path(parsed).resolve()
    with _stores_lock:
        store = _stores.get(key)
        if store is not None and not store.closed:
            return store
        conn = _connect(key, trace)
        try:
            store = Store(key, conn)
            migrate(store)
        except BaseException:
            conn.close()
            raise
        _stores[key] = store
        return store


def _connect(target: Target, trace: Callable[[str], None] | None) -> Any:
    if is_url(target):
        from rasd.store.postgres import PostgresConnection

        return PostgresConnection(target)
    conn = sqlite3.connect(target, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None,
                           check_same_thread=False, factory=SqliteConnection)
    try:
        if trace is not None:
            conn.set_trace_callback(trace)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL")   # kept in the file; a no-op once set
    except BaseException:
        conn.close()
        raise
    return conn


@atexit.register
def close_stores() -> None:
    """Close every store this process opened (at exit, so the WAL is checkpointed)."""
    with _stores_lock:
        stores = list(_stores.values())
    for store in stores:
        store.close()
