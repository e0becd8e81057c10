"""The `sources` table: the registry's outlets as last crawled, for their names in reports."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rasd.store import statements
from rasd.store.database import Store


def record_sources(store: Store, rows: Iterable[Mapping[str, Any]]) -> None:
    """Insert or update outlets (slug, name, homepage, updated_at), in one transaction."""
    with store.transaction() as conn:
        statements.upsert(conn, "sources", rows, key=("slug",))


def outlet_names(store: Store) -> dict[str, str]:
    """Each outlet's display name by slug (the slug when it has none)."""
    return {r["slug"]: r["name"] or r["slug"]
            for r in store.rows("SELECT slug, name FROM sources")}
