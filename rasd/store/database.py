"""The SQLite file: opening it and migrating its schema in code with sqlite-utils.

`open_db` is the one way in. `ensure_schema` is idempotent: it creates what is missing and
adds new columns to existing tables, so an old database keeps working after an upgrade.
"""
from __future__ import annotations

import os
from pathlib import Path

import sqlite_utils

from rasd.store.dedup_index import ensure_dedup_schema

DEFAULT_DB = "rasd.db"


def db_path(explicit: str | os.PathLike | None = None) -> Path:
    """The database path: an explicit one, else $RASD_DB, else ./rasd.db."""
    return Path(explicit or os.environ.get("RASD_DB") or DEFAULT_DB)


def open_db(path: str | os.PathLike) -> sqlite_utils.Database:
    """Open (creating if needed) the database in WAL mode with its schema up to date."""
    db = sqlite_utils.Database(path)
    db.enable_wal()
    db.execute("PRAGMA busy_timeout = 30000")
    db.execute("PRAGMA foreign_keys = ON")
    ensure_schema(db)
    return db


def _ensure_table(db: sqlite_utils.Database, name: str, columns: dict, **kwargs) -> None:
    table = db[name]
    if not table.exists():
        table.create(columns, **kwargs)
        return
    for column, kind in columns.items():
        if column not in table.columns_dict:
            table.add_column(column, kind)


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create or extend every table rasd uses."""
    _ensure_table(db, "sources", {
        "slug": str, "name": str, "homepage": str, "updated_at": str,
    }, pk="slug")
    _ensure_table(db, "crawl_runs", {
        "id": int, "kind": str, "started_at": str, "finished_at": str, "status": str,
        "finish_reason": str, "requests": int, "responses": int, "articles_new": int,
        "errors": int, "stats": str,
    }, pk="id")
    _ensure_table(db, "articles", {
        "id": int, "url": str, "source": str, "title": str, "text": str,
        "published_at": str, "fetched_at": str, "lang": str, "author": str, "site_name": str,
        "encoding": str, "crawl_run_id": int,
        "text_sha256": str, "text_pruned_at": str,   # set when retention prunes the text
    }, pk="id", not_null={"url"})
    db["articles"].create_index(["url"], unique=True, if_not_exists=True)
    db["articles"].create_index(["published_at"], if_not_exists=True)
    db["articles"].create_index(["fetched_at"], if_not_exists=True)   # the digest's window
    _ensure_table(db, "matches", {
        "article_id": int, "topic": str, "term": str, "count": int, "position": int,
        "snippet": str, "form": str,
    }, pk=("article_id", "topic", "term"), foreign_keys=[("article_id", "articles", "id")])
    db["matches"].create_index(["topic"], if_not_exists=True)
    _ensure_table(db, "dropped_urls", {
        "url": str, "source": str, "reason": str, "dropped_at": str,
    }, pk="url")
    # URL canonicalization, duplicates and stories (crawler/urls.py, pipelines/dedup.py)
    _ensure_table(db, "articles", {
        "original_url": str, "fingerprint": str, "duplicate_of": int, "story_id": int,
    }, pk="id")
    ensure_dedup_schema(db)
    db["articles"].create_index(["original_url"], if_not_exists=True)
    _ensure_table(db, "listing_validators", {
        "url": str, "etag": str, "last_modified": str, "checked_at": str,
    }, pk="url")
    _ensure_table(db, "digests", {
        "day": str, "format": str, "path": str, "written_at": str, "articles": int,
    }, pk=("day", "format"))
    # the daemon (issue 5): who ran a crawl, its process, its figures, and the schedule
    _ensure_table(db, "crawl_runs", {
        "trigger": str, "pid": int, "exit_code": int, "articles_duplicate": int,
        "responses_by_status": str, "matches": str, "error": str,
    })
    _ensure_table(db, "scheduler_state", {
        "name": str, "next_run_at": str, "last_run_at": str, "last_outcome": str, "pid": int,
        "started_at": str, "updated_at": str,
    }, pk="name")
    _ensure_published_date(db)


def _ensure_published_date(db: sqlite_utils.Database) -> None:
    """Issue 12: the publication day apart from the instant. `published_at` is now set only
    when the page gives a time; `published_date` (YYYY-MM-DD, the outlet's own day) whenever a
    day is known. Older rows kept a bare day in `published_at`: copied over once.
    (To be ported into a numbered migration of the versioned schema.)"""
    if "published_date" in db["articles"].columns_dict:
        return
    db["articles"].add_column("published_date", str)
    db.execute("UPDATE articles SET published_date = substr(published_at, 1, 10), "
               "published_at = CASE WHEN length(published_at) = 10 THEN NULL ELSE published_at END "
               "WHERE published_at IS NOT NULL")
    db["articles"].create_index(["published_date"], if_not_exists=True)

