"""The PostgreSQL side of the store: a psycopg 3 connection that takes rasd's SQL as written.

Query modules write plain SQL with `?` (or `:name`) placeholders, as sqlite3 takes them. This
module is the whole dialect layer for PostgreSQL: `PostgresConnection` has the sqlite3
connection's `execute`/`executemany`, translates the placeholders to psycopg's `%s` /
`%(name)s` (quote-aware: nothing inside a string literal, a quoted name or a comment is
touched; a literal `%` is doubled, as psycopg requires), and raises every psycopg error as a
`rasd.store.errors.PostgresError`. Cursors are psycopg's own: `fetchone`, `fetchall`,
`rowcount`, `description` and iteration behave as sqlite3's do.

Why a thin layer of our own rather than SQLAlchemy Core: every query already is plain SQL
behind rasd/store, and the SQL both databases share (ON CONFLICT, RETURNING, window-free
aggregates) needs no query builder; what differs is a handful of spellings (placeholders,
`group_concat`, PRAGMAs), handled here and in `Store`. SQLAlchemy would add a large import
to every command (start-up time of read-only commands is a measured goal, see
benchmarks/startup.py) and a second way to write queries. psycopg itself is imported only by
this module, which `open_store` imports only for a postgresql:// URL.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import psycopg
from psycopg.pq import TransactionStatus

from rasd.store.errors import PostgresError
from rasd.config import redact

CONNECT_TIMEOUT_SECONDS = 10

# What the translation looks at: literals, quoted names and comments are copied as they are;
# `::` is a cast, not a named parameter.
_TOKEN = re.compile(r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|/\*.*?\*/|::|\?|:[A-Za-z_]\w*|%""",
                    re.S)


@lru_cache(maxsize=1024)
def to_pyformat(sql: str) -> str:
    """`?` -> `%s`, `:name` -> `%(name)s`, `%` -> `%%` (also inside literals: psycopg reads
    every `%` of a query given parameters), everything else as written."""
    def replace(found: re.Match) -> str:
        token = found[0]
        if token == "?":
            return "%s"
        if token == "%":
            return "%%"
        if token.startswith(":") and token != "::":
            return f"%({token[1:]})s"
        return token.replace("%", "%%") if token[0] in "'\"" else token

    return _TOKEN.sub(replace, sql)


@contextmanager
def _translated(url: str = "", connecting: bool = False) -> Iterator[None]:
    """psycopg errors as PostgresError, with the URL's password never in the message."""
    try:
        yield
    except psycopg.Error as exc:
        error = PostgresError.from_psycopg(exc, connecting)
        password = _password(url)
        if password:
            error.args = (str(error).replace(password, "***"),)
        raise error from exc


def _password(url: str) -> str | None:
    from urllib.parse import urlsplit

    try:
        return urlsplit(url).password if url else None
    except ValueError:
        return None


class PostgresConnection:
    """A psycopg connection in autocommit mode, driven like rasd's sqlite3 connection:
    `Store.transaction()` sends BEGIN and COMMIT/ROLLBACK itself."""

    dialect = "postgresql"

    def __init__(self, url: str):
        self.url = url
        with _translated(url, connecting=True):
            self.raw = psycopg.connect(url, autocommit=True,
                                       connect_timeout=CONNECT_TIMEOUT_SECONDS)

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> psycopg.Cursor:
        with _translated(self.url):
            return self.raw.execute(to_pyformat(sql), _params(params))

    def executemany(self, sql: str, seq: Iterable[Sequence[Any] | dict[str, Any]]
                    ) -> psycopg.Cursor:
        cursor = self.raw.cursor()
        with _translated(self.url):
            cursor.executemany(to_pyformat(sql), [_params(p) for p in seq])
        return cursor

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != TransactionStatus.IDLE

    @property
    def closed(self) -> bool:
        return self.raw.closed

    def close(self) -> None:
        self.raw.close()

    def __repr__(self) -> str:
        return f"<PostgresConnection {redact(self.url)}>"


def _params(params: Sequence[Any] | dict[str, Any] | None) -> Sequence[Any] | dict[str, Any]:
    if params is None:
        return ()
    return params if isinstance(params, dict) else list(params)
