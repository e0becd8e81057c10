"""Has an article URL been processed already? Indexed look-ups, whatever the database's size.

A URL is known when an article is stored under it (`articles.url`, canonical) or from it as
listed (`articles.original_url`), or it was processed and dropped (`dropped_urls.url`).
"""
from __future__ import annotations

from rasd.store.database import Store


def is_known(store: Store, urls: tuple[str, ...], listed: str) -> bool:
    """True when an article is stored under one of `urls` or from `listed`, or one of `urls`
    was dropped."""
    marks = ", ".join("?" * len(urls))
    return store.value(
        f"SELECT EXISTS (SELECT 1 FROM articles WHERE url IN ({marks}))"
        f" OR EXISTS (SELECT 1 FROM dropped_urls WHERE url IN ({marks}))"
        " OR EXISTS (SELECT 1 FROM articles WHERE original_url = ?)",
        [*urls, *urls, listed]) == 1


def last_fetched(store: Store, url: str) -> str | None:
    """When the article stored under `url` was fetched, as stored; None if there is none."""
    return store.value("SELECT fetched_at FROM articles WHERE url = ?", [url])
