"""The errors a store raises, for `except DatabaseError`, and the one line that explains one.

`DatabaseError` is `(sqlite3.Error, PostgresError)`. psycopg's own `psycopg.Error` is not in
it: importing psycopg takes longer than a read-only command's whole start, so only the
PostgreSQL store imports it, and that store raises every psycopg error it meets as a
`PostgresError` whose `__cause__` is the original (its `sqlstate` copied). Code outside
rasd/store never needs psycopg to catch a database failure.
"""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from rasd.config import Target, describe, is_url

BUSY_TIMEOUT_SECONDS = 30.0   # another process's write transaction is waited for, not failed


class PostgresError(Exception):
    """A psycopg error met by the store; `sqlstate` is PostgreSQL's code (None: no server
    answer, e.g. the connection failed), `__cause__` the psycopg exception."""

    def __init__(self, message: str, sqlstate: str | None = None, connecting: bool = False):
        super().__init__(message)
        self.sqlstate = sqlstate
        self.connecting = connecting

    @classmethod
    def from_psycopg(cls, exc: Any, connecting: bool = False) -> PostgresError:
        text = str(exc)
        if connecting:   # libpq's own lines: keep the first ('… failed: Connection refused')
            text = next((line for line in text.splitlines() if line.strip()), text)
            text = text.removeprefix("connection failed: ")
        message = " ".join(text.split()) or type(exc).__name__
        return cls(message, getattr(exc, "sqlstate", None), connecting)


DatabaseError = (sqlite3.Error, PostgresError)


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
_PG_WHAT_TO_DO = {   # SQLSTATE prefix -> what to do
    "53100": "the server's disk is full: free space, then crawl again (what was committed "
             "is kept)",
    "25006": "the server is read-only (a standby?): point --db at the primary",
    "42501": "this user may not write there: GRANT it the rights on rasd's tables",
    "3D000": "create the database first (createdb), or check the URL's database name",
    "28": "check the user and password in the URL (or ~/.pgpass)",
    "57P": "the server shut down or ended the connection: run the command again",
    "08": "the connection was lost: run the command again",
}

_PG_REFUSALS = (   # a server's FATAL answer at connection time (no SQLSTATE from libpq)
    ("does not exist", _PG_WHAT_TO_DO["3D000"]),
    ("authentication failed", _PG_WHAT_TO_DO["28"]),
    ("no pg_hba.conf entry", "the server refuses this host or user: see its pg_hba.conf"),
)


def describe_database_error(exc: BaseException, path: Target | str | os.PathLike,
                            doing: str = "") -> str:
    """One line for a database error: the database (a URL without its password), what was
    being done (`doing`), the driver's message, and what to do about it."""
    if isinstance(exc, PostgresError):
        return _describe_postgres(exc, str(path), doing)
    name = getattr(exc, "sqlite_errorname", None) or ""
    advice = next((text for prefix, text in _WHAT_TO_DO.items() if name.startswith(prefix)),
                  None)
    if name == "SQLITE_CANTOPEN" and Path(path).is_file():   # a read-only folder or file system
        advice = _READ_ONLY
    line = f"{path}: {doing + ': ' if doing else ''}{' '.join(str(exc).split())}"
    return f"{line}: {advice.format(path=path)}" if advice else line


def _describe_postgres(exc: PostgresError, url: str, doing: str) -> str:
    shown = describe(url) if is_url(url) else url
    if exc.connecting and exc.sqlstate is None:
        if "FATAL:" not in str(exc):   # no server answered
            return f"cannot connect to {shown}: {exc} — is the server running?"
        advice = next((text for words, text in _PG_REFUSALS if words in str(exc)), None)
        line = f"cannot connect to {shown}: {exc}"
        return f"{line}: {advice}" if advice else line
    advice = next((text for prefix, text in _PG_WHAT_TO_DO.items()
                   if (exc.sqlstate or "").startswith(prefix)), None)
    line = f"{shown}: {doing + ': ' if doing else ''}{exc}"
    return f"{line}: {advice}" if advice else line
