"""The `listing_validators` table: the ETag and Last-Modified each feed or sitemap last sent."""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from rasd.store import statements
from rasd.store.database import Store


def listing_validators(store: Store, url: str) -> tuple[str | None, str | None]:
    """(etag, last_modified) that `url` answered last time; (None, None) if never."""
    row = store.row("SELECT etag, last_modified FROM listing_validators WHERE url = ?", [url])
    return (row["etag"], row["last_modified"]) if row else (None, None)


def save_listing_validators(store: Store, rows: Iterable[Mapping[str, str | None]]) -> None:
    """Record new validators (url, etag, last_modified, checked_at), in one transaction."""
    with store.transaction() as conn:
        statements.upsert(conn, "listing_validators", rows, key=("url",))
