"""INSERT, UPSERT and UPDATE of rows given as dicts, on the transaction's connection.

Inside `Store.transaction()` only the store's own connection is used (sqlite3's, or the
PostgreSQL one), so that no library's own commit can end the transaction early. The SQL is
what both databases take: ON CONFLICT rather than INSERT OR IGNORE/REPLACE, RETURNING id
rather than `lastrowid`. Table and column names come from rasd's code, never
from input; they are quoted anyway.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any


def _name(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def insert(conn: Any, table: str, row: Mapping[str, Any], or_ignore: bool = False) -> Any:
    """INSERT one row (`or_ignore`: leave a conflicting one alone; rowcount says which)."""
    return conn.execute(_insert_sql(table, row, or_ignore), list(row.values()))


def insert_id(conn: Any, table: str, row: Mapping[str, Any],
              or_ignore: bool = False) -> int | None:
    """INSERT one row and return its `id` (RETURNING, on both databases); None when
    `or_ignore` left a conflicting row alone."""
    found = conn.execute(_insert_sql(table, row, or_ignore) + " RETURNING id",
                         list(row.values())).fetchall()
    return found[0][0] if found else None


def _insert_sql(table: str, row: Mapping[str, Any], or_ignore: bool) -> str:
    return (f"INSERT INTO {_name(table)} ({', '.join(map(_name, row))}) "
            f"VALUES ({', '.join('?' * len(row))})"
            + (" ON CONFLICT DO NOTHING" if or_ignore else ""))


def upsert_sql(table: str, columns: Sequence[str], key: Sequence[str]) -> str:
    """The INSERT … ON CONFLICT (key) DO UPDATE of `columns` (DO NOTHING when all are key),
    for `conn.execute` or `conn.executemany` with the values in `columns`' order."""
    changed = [c for c in columns if c not in key]
    action = ("DO UPDATE SET " + ", ".join(f"{_name(c)} = excluded.{_name(c)}"
                                          for c in changed)) if changed else "DO NOTHING"
    return (f"INSERT INTO {_name(table)} ({', '.join(map(_name, columns))}) "
            f"VALUES ({', '.join('?' * len(columns))}) "
            f"ON CONFLICT ({', '.join(map(_name, key))}) {action}")


def upsert(conn: Any, table: str, rows: Iterable[Mapping[str, Any]],
           key: tuple[str, ...]) -> None:
    """Insert rows, or update the given columns of those whose `key` exists (others kept)."""
    for row in rows:
        conn.execute(upsert_sql(table, list(row), key), list(row.values()))


def update(conn: Any, table: str, where: Mapping[str, Any],
           values: Mapping[str, Any]) -> int:
    """UPDATE the rows matching `where` (column = value, all of them); the number changed."""
    return conn.execute(
        f"UPDATE {_name(table)} SET {', '.join(f'{_name(c)} = ?' for c in values)} "
        f"WHERE {' AND '.join(f'{_name(c)} = ?' for c in where)}",
        [*values.values(), *where.values()]).rowcount
