"""Seen-URL memory: has this article URL been processed already? Asked of SQLite per link.

A URL is known when an article is stored under it (`articles.url`, canonical) or it was
processed and dropped (`dropped_urls.url`), both looked up by their unique index, so the check
costs the same however large the database grows and nothing is loaded up front. URLs requested
during this crawl are known too.
"""
from __future__ import annotations

import sqlite_utils


class SeenUrls:
    """Which canonical article URLs need no download."""

    def __init__(self, db: sqlite_utils.Database):
        self.db = db
        self.requested: set[str] = set()

    def __contains__(self, url: str) -> bool:
        if url in self.requested:
            return True
        return self.db.execute(
            "SELECT EXISTS (SELECT 1 FROM articles WHERE url = ?)"
            " OR EXISTS (SELECT 1 FROM dropped_urls WHERE url = ?)", [url, url]).fetchone()[0] == 1

    def add(self, url: str) -> None:
        self.requested.add(url)
