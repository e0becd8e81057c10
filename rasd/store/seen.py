"""Seen-URL memory: has this article URL been processed already? Asked of SQLite per link.

A URL is known when an article is stored under it (`articles.url`, canonical) or from it as
listed (`articles.original_url`), or it was processed and dropped (`dropped_urls.url`), all
looked up by index, so the check
costs the same however large the database grows and nothing is loaded up front. URLs requested
during this crawl are known too. A stored article is stale, and fetched again, when its outlet
has a re-fetch window (`refetch_hours`) and its last fetch is older than that.
"""
from __future__ import annotations

from datetime import datetime, timedelta

import sqlite_utils

from rasd import clock
from rasd.text.urls import slash_twin


class SeenUrls:
    """Which canonical article URLs need no download."""

    def __init__(self, db: sqlite_utils.Database):
        self.db = db
        self.requested: set[str] = set()

    def __contains__(self, url: str) -> bool:
        return self.known(url)

    def known(self, url: str, listed: str | None = None) -> bool:
        """True when canonical `url` was processed, or an article was stored from the link
        exactly as listed (`articles.original_url`): that covers articles stored under
        another URL after a redirect or a `<link rel=canonical>`."""
        twin = slash_twin(url) or url
        if url in self.requested or twin in self.requested:
            return True
        return self.db.execute(
            "SELECT EXISTS (SELECT 1 FROM articles WHERE url IN (?, ?))"
            " OR EXISTS (SELECT 1 FROM dropped_urls WHERE url IN (?, ?))"
            " OR EXISTS (SELECT 1 FROM articles WHERE original_url = ?)",
            [url, twin, url, twin, listed or url]).fetchone()[0] == 1

    def stale(self, url: str, refetch_hours: float | None) -> bool:
        """True for a stored article last fetched more than `refetch_hours` ago."""
        if refetch_hours is None or url in self.requested:
            return False
        row = self.db.execute("SELECT fetched_at FROM articles WHERE url = ?", [url]).fetchone()
        cutoff = clock.now() - timedelta(hours=refetch_hours)
        return row is not None and datetime.fromisoformat(row[0]) < cutoff

    def add(self, url: str) -> None:
        self.requested.add(url)
