"""Is the database sound? SQLite's own checks, run read-only, for `rasd doctor`.

Opened with `mode=ro` and nothing else (no migration, no WAL switch, no kept connection): a
damaged file is examined as it is, and a check never makes it worse. A PostgreSQL database
keeps its own pages sound (checksums, WAL replay are the server's): the check is that it
answers (`SELECT 1` on a connection of its own), its schema version and its tables' rows.
"""
from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rasd.store.schema import POSTGRES_HAS_VERSION, SCHEMA_VERSION
from rasd.config import Target, is_url

if TYPE_CHECKING:
    from rasd.store.database import Store

PROBLEMS_SHOWN = 10   # integrity_check stops after this many problems: enough to judge


@dataclass
class Health:
    """What the checks found: `problems` is empty for a sound file."""

    path: Target
    size_bytes: int
    schema_version: int | None = None      # None: unreadable
    journal_mode: str | None = None
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)   # PostgreSQL: rows per table

    @property
    def sound(self) -> bool:
        return not self.problems

    @property
    def schema_state(self) -> str:
        if self.schema_version is None:
            return "unreadable"
        if self.schema_version > SCHEMA_VERSION:
            return f"{self.schema_version}, newer than this rasd's ({SCHEMA_VERSION}): upgrade rasd"
        if self.schema_version < SCHEMA_VERSION:
            return (f"{self.schema_version}, older than this rasd's ({SCHEMA_VERSION}): "
                    "upgraded by the next command that writes")
        return f"{self.schema_version} (current)"


def database_size(target: Target) -> int:
    """The bytes a SQLite database takes on disk, its write-ahead log included."""
    return sum(p.stat().st_size for p in (Path(target), Path(f"{target}-wal")) if p.exists())


def store_size(store: Store) -> int:
    """The database's size in bytes: the file and its WAL, or the PostgreSQL database's."""
    if store.dialect == "sqlite":
        return database_size(store.path)
    return store.value("SELECT pg_database_size(current_database())")


def check_health(path: Target, full: bool = False) -> Health:
    """Header, schema version and `PRAGMA quick_check` (`integrity_check` when `full`: it
    also checks every index against its table, and takes longer). For a PostgreSQL URL,
    `check_postgres`."""
    if is_url(path):
        return check_postgres(path)
    health = Health(path, database_size(path))
    check = "integrity_check" if full else "quick_check"
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            health.schema_version = conn.execute("PRAGMA user_version").fetchone()[0]
            health.journal_mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
            found = [row[0] for row in conn.execute(f"PRAGMA {check}({PROBLEMS_SHOWN})")]
    except sqlite3.DatabaseError as exc:
        health.problems.append(str(exc))
        return health
    if found != ["ok"]:
        health.problems.extend(found)
    return health


def check_postgres(url: str) -> Health:
    """Connect, `SELECT 1`, the schema version (`rasd_schema`) and each table's rows, on a
    connection of its own (no migration). A failure is the health's one problem."""
    from rasd.store.errors import PostgresError, describe_database_error
    from rasd.store.postgres import PostgresConnection

    health = Health(url, 0)
    conn = None
    try:
        conn = PostgresConnection(url)
        conn.execute("SELECT 1").fetchone()
        health.size_bytes = conn.execute(
            "SELECT pg_database_size(current_database())").fetchone()[0]
        has_version = conn.execute(POSTGRES_HAS_VERSION).fetchone()[0]
        health.schema_version = (conn.execute("SELECT version FROM rasd_schema").fetchone()[0]
                                 if has_version else 0)
        tables = [name for name, in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
            "ORDER BY tablename")]
        health.counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                         for t in tables}
    except PostgresError as exc:
        health.problems.append(describe_database_error(exc, url))
    finally:
        if conn is not None:
            conn.close()
    return health
