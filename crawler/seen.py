"""Seen-URL memory of a crawl: which canonical article URLs need no download.

Asked of the store per link (`rasd.store.seen`), so the check costs the same however large the
database grows and nothing is loaded up front; URLs requested during this crawl are known too.
`/x` and `/x/` are one URL here (`slash_twin`). A stored article is stale, and fetched again,
when its outlet has a re-fetch window (`refetch_hours`) and its last fetch is older than that.
A dropped URL is known for `dropped_retry_hours` (RASD_DROPPED_RETRY_HOURS), then fetched again.
A URL to download is claimed first (`claim`, rasd/store/claims.py): crawls running at once on
several workers never download one page twice.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from rasd import clock
from rasd.store.claims import claim_urls
from rasd.store.database import Store
from rasd.store.seen import is_known, last_fetched
from rasd.text.urls import slash_twin


class SeenUrls:
    """Which canonical article URLs need no download."""

    def __init__(self, store: Store, dropped_retry_hours: float | None = None,
                 claim_lease_hours: float = 2.0):
        self.store = store
        self.claim_lease = timedelta(hours=claim_lease_hours)
        self.requested: set[str] = set()
        self.dropped_since = "" if dropped_retry_hours is None else clock.timestamp(
            clock.now() - timedelta(hours=dropped_retry_hours))

    def __contains__(self, url: str) -> bool:
        return self.known(url)

    def known(self, url: str, listed: str | None = None) -> bool:
        """True when canonical `url` was processed, or an article was stored from the link
        exactly as listed (`articles.original_url`): that covers articles stored under
        another URL after a redirect or a `<link rel=canonical>`."""
        twin = slash_twin(url) or url
        if url in self.requested or twin in self.requested:
            return True
        return is_known(self.store, (url, twin), listed or url, self.dropped_since)

    def stale(self, url: str, refetch_hours: float | None) -> bool:
        """True for a stored article last fetched more than `refetch_hours` ago."""
        if refetch_hours is None or url in self.requested:
            return False
        fetched = last_fetched(self.store, url)
        cutoff = clock.now() - timedelta(hours=refetch_hours)
        return fetched is not None and datetime.fromisoformat(fetched) < cutoff

    def claim(self, urls: list[str], source: str, run_id: int) -> set[str]:
        """Take `urls` for this crawl before downloading them; not those another crawl, alive,
        holds (it stores the article: this crawl finds it known next time)."""
        moment = clock.now()
        return claim_urls(self.store, urls, source, run_id, clock.timestamp(moment),
                          clock.timestamp(moment - self.claim_lease))

    def add(self, url: str) -> None:
        self.requested.add(url)
