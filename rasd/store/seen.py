"""Has an article URL been processed already? Indexed look-ups, whatever the database's size.

A URL is known when an article is stored under it (`articles.url`, canonical) or from it as
listed (`articles.original_url`), or it was processed and dropped (`dropped_urls.url`) after
`dropped_since`: an older drop is retried (a page that was empty or mis-encoded for a while is
not lost for good).
"""
from __future__ import annotations

from rasd.store.database import Store


def is_known(store: Store, urls: tuple[str, ...], listed: str,
             dropped_since: str = "") -> bool:
    """True when an article is stored under one of `urls` or from `listed`, or one of `urls`
    was dropped at or after `dropped_since` (a stored timestamp; "": ever)."""
    marks = ", ".join("?" * len(urls))
    return bool(store.value(
        f"SELECT EXISTS (SELECT 1 FROM articles WHERE url IN ({marks}))"
        f" OR EXISTS (SELECT 1 FROM dropped_urls WHERE url IN ({marks}) AND dropped_at >= ?)"
        " OR EXISTS (SELECT 1 FROM articles WHERE original_url = ?)",
        [*urls, *urls, dropped_since, listed]))


def last_fetched(store: Store, url: str) -> str | None:
    """When the article stored under `url` was fetched, as stored; None if there is none."""
    return store.value("SELECT fetched_at FROM articles WHERE url = ?", [url])
