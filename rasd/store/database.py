"""The SQLite file: one kept connection per database per process, and explicit transactions.

`open_store(path)` is the one way in. The first call in a process connects (WAL, a busy
timeout, foreign keys) and brings the schema up to date (`rasd.store.schema`); every later call
for the same file returns that same `Store`, so a listing request or a daemon heartbeat costs
no connection and no schema check.

Threads: the daemon's heartbeat (main thread) and its APScheduler jobs (worker threads) share
the process's one connection, opened with `check_same_thread=False` and guarded by a
re-entrant lock that every read and every transaction holds. The lock is needed because a
sqlite3 connection has one transaction state for all its threads: without it, one thread's
statement would silently join, or commit, another thread's transaction. One connection per
thread was the alternative; it buys nothing here, since SQLite admits one writer at a time
anyway and the daemon's statements are short, and it would multiply WAL readers and files.

The connection runs in autocommit mode (`isolation_level=None`): a statement outside
`transaction()` commits on its own, and a transaction is always the explicit
`BEGIN IMMEDIATE … COMMIT` of `Store.transaction()`, whatever sqlite-utils does by default.
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

from rasd.store.schema import migrate

if TYPE_CHECKING:
    import sqlite_utils

BUSY_TIMEOUT_SECONDS = 30.0   # another process's write transaction is waited for, not failed

Params = Sequence[Any] | dict[str, Any]


class Store:
    """One open database: its sqlite-utils `db`, reads, and explicit write transactions.

    Query modules in `rasd.store` use it; nothing outside `rasd.store` writes SQL.
    """

    def __init__(self, path: Path, conn: sqlite3.Connection):
        self.path = path
        self.conn = conn
        self.lock = threading.RLock()
        self._depth = 0   # nesting of transaction() in the thread holding the lock

    @cached_property
    def db(self) -> sqlite_utils.Database:
        """The sqlite-utils view of the connection, for migrations and table introspection;
        imported on first use, because sqlite-utils (and numpy under it) costs a read-only
        command most of its start-up time."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn, execute_plugins=False)

    @property
    def closed(self) -> bool:
        try:
            self.conn.total_changes   # raises on a closed connection; runs no SQL
        except sqlite3.ProgrammingError:
            return True
        return False

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write: `BEGIN IMMEDIATE`, COMMIT at the end, ROLLBACK on any error.

        IMMEDIATE takes the write lock up front, so a transaction never fails half-way when
        it turns from reading to writing; another process's writer is waited for (busy
        timeout). A nested call joins the transaction around it: the outermost one commits.
        """
        with self.lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self.conn
                finally:
                    self._depth -= 1
                return
            self.conn.execute("BEGIN IMMEDIATE")
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
    def read(self) -> Iterator[sqlite3.Connection]:
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

    def write(self, sql: str, params: Params = ()) -> sqlite3.Cursor:
        """One statement as its own transaction (or joining the one in progress)."""
        with self.transaction() as conn:
            return conn.execute(sql, params)

    def check_writable(self) -> None:
        """Raise the error a write would meet (read-only file, folder or file system), without
        changing anything: a command that writes fails before its work, not half-way."""
        with self.lock:
            version = self.value("PRAGMA user_version")
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                self.conn.execute(f"PRAGMA user_version = {version:d}")   # dirties page 1
            finally:
                self.conn.execute("ROLLBACK")

    def close(self) -> None:
        """Close the connection; the next `open_store` of this file opens a new one."""
        with _stores_lock:
            if _stores.get(self.path) is self:
                del _stores[self.path]
        with self.lock:   # not inside _stores_lock: open_store may run inside a transaction
            self.conn.close()


_stores: dict[Path, Store] = {}
_stores_lock = threading.Lock()


def open_store(path: str | os.PathLike,
               trace: Callable[[str], None] | None = None) -> Store:
    """The process's store for the database at `path`, opened and migrated on first use.

    `trace`, when this call opens the connection, receives every SQL statement it runs
    (for debugging and for tests that count statements).
    """
    resolved = Path(path).resolve()
    with _stores_lock:
        store = _stores.get(resolved)
        if store is not None and not store.closed:
            return store
        conn = sqlite3.connect(resolved, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None,
                               check_same_thread=False)
        try:
            if trace is not None:
                conn.set_trace_callback(trace)
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA journal_mode = WAL")   # kept in the file; a no-op once set
            store = Store(resolved, conn)
            migrate(store)
        except BaseException:
            conn.close()
            raise
        _stores[resolved] = store
        return store


_WHAT_TO_DO = {   # sqlite error name prefix -> what it means and what to do, for one line
    "SQLITE_FULL": "free space on its disk, then crawl again (what was committed is kept)",
    "SQLITE_IOERR": "an I/O error: check the disk, then `rasd doctor --db {path}`",
    "SQLITE_BUSY": f"another process kept it locked for more than {BUSY_TIMEOUT_SECONDS:g}s",
    "SQLITE_LOCKED": f"another process kept it locked for more than {BUSY_TIMEOUT_SECONDS:g}s",
    "SQLITE_READONLY": "it cannot be written: make the file, its folder and its -wal and -shm "
                       "files writable",
    "SQLITE_CORRUPT": "the database is damaged: run `rasd doctor --db {path}`",
    "SQLITE_NOTADB": "not an SQLite database (damaged?): run `rasd doctor --db {path}`",
    "SQLITE_CANTOPEN": "it cannot be opened: check the path and its folder's permissions",
}
_READ_ONLY = _WHAT_TO_DO["SQLITE_READONLY"]


def describe_database_error(exc: sqlite3.Error, path: str | os.PathLike,
                            doing: str = "") -> str:
    """One line for a database error: the file, what was being done (`doing`), SQLite's
    message, and what to do about it."""
    name = getattr(exc, "sqlite_errorname", None) or ""
    advice = next((text for prefix, text in _WHAT_TO_DO.items() if name.startswith(prefix)),
                  None)
    if name == "SQLITE_CANTOPEN" and Path(path).is_file():   # a read-only folder or file system
        advice = _READ_ONLY
    line = f"{path}: {doing + ': ' if doing else ''}{' '.join(str(exc).split())}"
    return f"{line}: {advice.format(path=path)}" if advice else line


@atexit.register
def close_stores() -> None:
    """Close every store this process opened (at exit, so the WAL is checkpointed)."""
    with _stores_lock:
        stores = list(_stores.values())
    for store in stores:
        store.close()
