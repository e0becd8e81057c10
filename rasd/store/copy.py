"""Copying a whole archive from one store to another (`rasd migrate`): SQLite to PostgreSQL,
and back.

Every table is copied with its ids, parents before children, in pages read by primary key
(keyset pagination: a big table is never all in memory, and the source needs no cursor held
open across writes). The whole copy is ONE transaction on the target, checked before it
commits: if anything fails — a row the target refuses, a killed process, a count that does not
add up — the target is left as it was, empty, and the copy can simply be run again. The target
must be empty: ids are kept, so rows already there would collide with the copied ones, and a
merge of two archives is a different job (duplicates, stories) than moving one.

The search index is not copied but written for each article as it arrives (its form differs
between backends, `rasd/store/search.py`); PostgreSQL's identity sequences are moved past the
copied ids, so the next article stored gets a new one.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rasd.store import search
from rasd.store.database import Store
from rasd.store.errors import DatabaseError

# table -> primary key, in an order where a row's parent is copied before it
TABLES: dict[str, tuple[str, ...]] = {
    "sources": ("slug",),
    "crawl_runs": ("id",),
    "stories": ("id",),
    "articles": ("id",),
    "matches": ("article_id", "topic", "term"),
    "article_signatures": ("article_id",),
    "dedup_bands": ("key", "article_id"),
    "dropped_urls": ("url",),
    "listing_validators": ("url",),
    "url_claims": ("url",),
    "digests": ("day", "format"),
    "alerts": ("topic", "story_id"),
    "outlet_health": ("slug",),
    "scheduler_state": ("name",),
}
PAGE_ROWS = 1000

Progress = Callable[[str, int, int], None]   # (table, rows copied so far, rows in all)


class CopyError(Exception):
    """The copy cannot be made or did not add up; the target was left as it was."""


@dataclass
class Tally:
    """What was counted on one side: rows per table and the cheap checksums."""

    rows: dict[str, int]
    article_id_sum: int
    text_characters: int
    matches_per_topic: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Copied:
    """The source's and the target's tallies, equal once a copy is committed."""

    source: Tally
    target: Tally


def tally(store: Store, conn: Any = None) -> Tally:
    """Count a store (or, given `conn`, what a transaction on it sees)."""
    def value(sql: str) -> Any:
        return conn.execute(sql).fetchone()[0] if conn is not None else store.value(sql)

    topics = (conn.execute("SELECT topic, COUNT(*) FROM matches GROUP BY topic").fetchall()
              if conn is not None else
              [(r["topic"], r["n"]) for r in
               store.rows("SELECT topic, COUNT(*) AS n FROM matches GROUP BY topic")])
    return Tally({table: value(f'SELECT COUNT(*) FROM "{table}"') for table in TABLES},
                 int(value("SELECT COALESCE(SUM(id), 0) FROM articles")),
                 int(value("SELECT COALESCE(SUM(LENGTH(text)), 0) FROM articles")),
                 {topic: count for topic, count in topics})


def copy_archive(source: Store, target: Store, progress: Progress | None = None,
                 page_rows: int = PAGE_ROWS) -> Copied:
    """Copy every table of `source` into the empty `target`, in one transaction, verified."""
    occupied = {t: n for t, n in tally(target).rows.items() if n}
    if occupied:
        held = ", ".join(f"{n} {t}" for t, n in occupied.items())
        raise CopyError(f"the target is not empty ({held}): rasd migrate copies into an "
                        "empty database only")
    before = tally(source)
    done, total = 0, sum(before.rows.values())
    with target.transaction() as conn:
        for table, key in TABLES.items():
            for page in _pages(source, table, key, page_rows):
                try:
                    _insert(conn, table, page)
                except DatabaseError as exc:   # the transaction is rolled back on the way out
                    raise CopyError(f"copying {table}: {' '.join(str(exc).split())}; "
                                    "nothing was copied") from exc
                done += len(page)
                if progress is not None:
                    progress(table, done, total)
        if target.dialect == "postgresql":
            _advance_sequences(conn)
        after = tally(target, conn)
        if after != before:   # raising here rolls the whole copy back
            raise CopyError("the copy does not add up ("
                            + "; ".join(_differences(before, after))
                            + "): was the source written to meanwhile? Nothing was copied")
    return Copied(before, after)


def _pages(source: Store, table: str, key: tuple[str, ...], size: int):
    """The table's rows, `size` at a time, in primary key order."""
    names = ", ".join(f'"{c}"' for c in key)
    after: list[Any] = []
    while True:
        where = f"WHERE ({names}) > ({', '.join('?' * len(key))}) " if after else ""
        page = source.rows(f'SELECT * FROM "{table}" {where}ORDER BY {names} LIMIT ?',
                           [*after, size])
        if not page:
            return
        yield page
        after = [page[-1][c] for c in key]


def _insert(conn: Any, table: str, rows: list[dict[str, Any]]) -> None:
    columns = list(rows[0])
    names = ", ".join(f'"{c}"' for c in columns)
    conn.executemany(
        f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))})',
        [[row[c] for c in columns] for row in rows])
    if table == "articles":
        for row in rows:
            search.index(conn, row["id"], row["title"], row["text"])


def _advance_sequences(conn: Any) -> None:
    """Move each identity sequence past the ids copied (PostgreSQL: inserting an id does not)."""
    for table, key in TABLES.items():
        if key == ("id",):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                         f'(SELECT MAX(id) FROM "{table}"))')


def _differences(before: Tally, after: Tally) -> list[str]:
    out = [f"{t}: {before.rows[t]} in the source, {after.rows[t]} copied"
           for t in TABLES if before.rows[t] != after.rows[t]]
    if before.article_id_sum != after.article_id_sum:
        out.append("the sums of article ids differ")
    if before.text_characters != after.text_characters:
        out.append("the article texts' lengths differ")
    if before.matches_per_topic != after.matches_per_topic:
        out.append("the matches per topic differ")
    return out or ["?"]
