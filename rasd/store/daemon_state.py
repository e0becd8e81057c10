"""The `scheduler_state` table: one row per daemon job and one for the daemon itself."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rasd.store import statements
from rasd.store.database import Store


def record_state(store: Store, rows: Iterable[Mapping[str, Any]]) -> None:
    """Insert or update rows by `name` (columns not given are kept), in one transaction."""
    with store.transaction() as conn:
        statements.upsert(conn, "scheduler_state", rows, key=("name",))


def scheduler_state(store: Store) -> dict[str, dict[str, Any]]:
    """Every row by name."""
    return {row["name"]: row for row in store.rows("SELECT * FROM scheduler_state")}
