"""URL claims: an article URL is downloaded by one crawl at a time, across workers.

Crawls of different outlet shards run at once on several workers, and two outlets may list
the same article URL (syndication, a shared CDN). Before it downloads a URL, a crawl claims it
in `url_claims` (migration 7) in one statement that either takes the URL or finds it taken:
`INSERT … ON CONFLICT (url) DO UPDATE … WHERE <the old claim is stale> RETURNING url` returns
the URL only to the one crawl that holds it afterwards, on SQLite and on PostgreSQL alike
(PostgreSQL locks the conflicting row, so two claims of one URL are decided one after the
other). A claim is stale, and taken over, when it is

- the same crawl's (`run_id`), claiming again;
- made for the same outlet (`source`) by another crawl: an outlet is crawled by one worker
  at a time (its shard's queue lock, or the crawl lock of a single machine), so the crawl
  that made it is dead (killed, its job retried);
- older than the lease (RASD_CLAIM_LEASE_HOURS): its crawl died without giving it back.

The claim is deleted in the transaction that stores the article or records its drop, so a
URL is never both unclaimed and unstored while a crawl still works on it; a crawl gives back
the claims it still holds (downloads that failed) when it closes.
"""
from __future__ import annotations

from collections.abc import Iterable

from rasd.store.database import Store

_CLAIM = (
    "INSERT INTO url_claims (url, source, run_id, claimed_at) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (url) DO UPDATE SET source = excluded.source, run_id = excluded.run_id, "
    "claimed_at = excluded.claimed_at "
    "WHERE url_claims.run_id = excluded.run_id OR url_claims.source = excluded.source "
    "OR url_claims.claimed_at < ? "
    "RETURNING url")


def claim_urls(store: Store, urls: Iterable[str], source: str, run_id: int, now: str,
               stale_before: str) -> set[str]:
    """Take `urls` for crawl `run_id` of outlet `source`, in one transaction (one commit per
    listing, not per link); the URLs taken: not those a live crawl of another outlet holds.
    `now` and `stale_before` are ISO timestamps (the lease's start)."""
    with store.transaction() as conn:
        return {url for url in dict.fromkeys(urls)
                if conn.execute(_CLAIM, (url, source, run_id, now, stale_before)).fetchone()}


def release_urls(store: Store, urls: Iterable[str]) -> None:
    """Drop the claims of `urls` (joining the caller's transaction: the article's, the drop's).
    Whoever holds them: the URL is stored or recorded now, a holder would find it known."""
    with store.transaction() as conn:
        for url in {u for u in urls if u}:
            conn.execute("DELETE FROM url_claims WHERE url = ?", (url,))


def release_run(store: Store, run_id: int) -> int:
    """Give back every claim crawl `run_id` still holds (its failed downloads); returns how many."""
    return store.write("DELETE FROM url_claims WHERE run_id = ?", (run_id,)).rowcount


def claims_held(store: Store, run_id: int | None = None) -> int:
    """How many claims are held (by crawl `run_id`, or by any)."""
    if run_id is None:
        return store.value("SELECT count(*) FROM url_claims")
    return store.value("SELECT count(*) FROM url_claims WHERE run_id = ?", (run_id,))
