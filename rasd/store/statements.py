"""INSERT, UPSERT and UPDATE of rows given as dicts, on the raw connection.

Inside `Store.transaction()` only the raw sqlite3 connection is used, so that no library's own
commit can end the transaction early. Table and column names come from rasd's code, never
from input; they are quoted anyway.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any


def _name(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def insert(conn: sqlite3.Connection, table: str, row: Mapping[str, Any],
           or_ignore: bool = False) -> sqlite3.Cursor:
    """INSERT one row (OR IGNORE: leave an existing one alone; rowcount says which)."""
    columns = ", ".join(map(_name, row))
    return conn.execute(
        f"INSERT {'OR IGNORE ' if or_ignore else ''}INTO {_name(table)} ({columns}) "
        f"VALUES ({', '.join('?' * len(row))})", list(row.values()))


def upsert(conn: sqlite3.Connection, table: str, rows: Iterable[Mapping[str, Any]],
           key: tuple[str, ...]) -> None:
    """Insert rows, or update the given columns of those whose `key` exists (others kept)."""
    for row in rows:
        changed = [c for c in row if c not in key]
        action = ("DO UPDATE SET " + ", ".join(f"{_name(c)} = excluded.{_name(c)}"
                                              for c in changed)) if changed else "DO NOTHING"
        conn.execute(
            f"INSERT INTO {_name(table)} ({', '.join(map(_name, row))}) "
            f"VALUES ({', '.join('?' * len(row))}) "
            f"ON CONFLICT ({', '.join(map(_name, key))}) {action}", list(row.values()))


def update(conn: sqlite3.Connection, table: str, where: Mapping[str, Any],
           values: Mapping[str, Any]) -> int:
    """UPDATE the rows matching `where` (column = value, all of them); the number changed."""
    return conn.execute(
        f"UPDATE {_name(table)} SET {', '.join(f'{_name(c)} = ?' for c in values)} "
        f"WHERE {' AND '.join(f'{_name(c)} = ?' for c in where)}",
        [*values.values(), *where.values()]).rowcount
