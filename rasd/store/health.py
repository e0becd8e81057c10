"""Is the database file sound? SQLite's own checks, run read-only, for `rasd doctor`.

Opened with `mode=ro` and nothing else (no migration, no WAL switch, no kept connection): a
damaged file is examined as it is, and a check never makes it worse.
"""
from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from rasd.store.schema import SCHEMA_VERSION

PROBLEMS_SHOWN = 10   # integrity_check stops after this many problems: enough to judge


@dataclass
class Health:
    """What the checks found: `problems` is empty for a sound file."""

    path: Path
    size_bytes: int
    schema_version: int | None = None      # None: unreadable
    journal_mode: str | None = None
    problems: list[str] = field(default_factory=list)

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


def check_health(path: Path, full: bool = False) -> Health:
    """Header, schema version and `PRAGMA quick_check` (`integrity_check` when `full`: it
    also checks every index against its table, and takes longer)."""
    health = Health(path, sum(p.stat().st_size for p in (path, Path(f"{path}-wal"))
                              if p.exists()))
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
