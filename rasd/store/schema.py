"""The schema, versioned: `PRAGMA user_version` and an ordered list of migrations.

A database records the number of migrations applied to it in its header (`user_version`).
Opening one that is up to date reads that number and runs nothing else; an older one gets the
missing migrations, all in one `BEGIN IMMEDIATE` transaction, so two processes opening it at
once migrate it once and a failed migration leaves it as it was. Databases made before
versioning have user_version 0: migration 1 brings any of them (the spine's four tables, or
anything the earlier `ensure_schema` grew since) to the schema below, creating what is missing
and adding missing columns. New changes are appended to MIGRATIONS, never edited in.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite_utils

    from rasd.store.database import Store

# name -> (columns in order, sqlite-utils create() options)
TABLES: dict[str, tuple[dict[str, type], dict[str, Any]]] = {
    "sources": ({"slug": str, "name": str, "homepage": str, "updated_at": str},
                {"pk": "slug"}),
    "crawl_runs": ({
        "id": int, "kind": str, "started_at": str, "finished_at": str, "status": str,
        "finish_reason": str, "requests": int, "responses": int, "articles_new": int,
        "errors": int, "stats": str,
        # the daemon's: who ran the crawl, its process, its figures
        "trigger": str, "pid": int, "exit_code": int, "articles_duplicate": int,
        "responses_by_status": str, "matches": str, "error": str,
    }, {"pk": "id"}),
    "articles": ({
        "id": int, "url": str, "source": str, "title": str, "text": str,
        "published_at": str, "fetched_at": str, "lang": str, "author": str, "site_name": str,
        "encoding": str, "crawl_run_id": int,
        "text_sha256": str, "text_pruned_at": str,   # set when retention prunes the text
        # canonical URLs, duplicates and stories (pipelines/dedup.py)
        "original_url": str, "fingerprint": str, "duplicate_of": int, "story_id": int,
    }, {"pk": "id", "not_null": {"url"}}),
    "matches": ({
        "article_id": int, "topic": str, "term": str, "count": int, "position": int,
        "snippet": str, "form": str,
    }, {"pk": ("article_id", "topic", "term"),
        "foreign_keys": [("article_id", "articles", "id")]}),
    "dropped_urls": ({"url": str, "source": str, "reason": str, "dropped_at": str},
                     {"pk": "url"}),
    # the persistent duplicate and story index (rasd/store/dedup_index.py)
    "article_signatures": ({
        "article_id": int, "shingles": int, "minhash": bytes, "story_minhash": bytes,
        "story_time": str,
    }, {"pk": "article_id", "foreign_keys": [("article_id", "articles", "id")]}),
    "dedup_bands": ({"key": int, "article_id": int}, {"pk": ("key", "article_id")}),
    "stories": ({"id": int, "first_seen": str, "last_seen": str, "articles": int,
                 "outlets": int, "title": str}, {"pk": "id"}),
    "listing_validators": ({"url": str, "etag": str, "last_modified": str, "checked_at": str},
                           {"pk": "url"}),
    "digests": ({"day": str, "format": str, "path": str, "written_at": str, "articles": int},
                {"pk": ("day", "format")}),
    "scheduler_state": ({
        "name": str, "next_run_at": str, "last_run_at": str, "last_outcome": str, "pid": int,
        "started_at": str, "updated_at": str,
    }, {"pk": "name"}),
}

# (table, columns, unique)
INDEXES: list[tuple[str, list[str], bool]] = [
    ("articles", ["url"], True),
    ("articles", ["published_at"], False),
    ("articles", ["fetched_at"], False),        # the digest's window
    ("matches", ["topic"], False),
    ("article_signatures", ["story_time"], False),
    ("articles", ["fingerprint"], False),
    ("articles", ["story_id"], False),
    ("articles", ["original_url"], False),
]


def _baseline(db: sqlite_utils.Database) -> None:
    """Migration 1: every table, column and index of the unversioned schema, idempotently."""
    for name, (columns, options) in TABLES.items():
        table = db[name]
        if not table.exists():
            table.create(columns, **options)
            continue
        existing = table.columns_dict
        for column, kind in columns.items():
            if column not in existing:
                table.add_column(column, kind)
    for name, columns, unique in INDEXES:
        db[name].create_index(columns, unique=unique, if_not_exists=True)


def _outlet_health(db: sqlite_utils.Database) -> None:
    """Migration 2: each outlet's health, so a failing outlet is retried with back-off
    (rasd/store/health.py)."""
    db["outlet_health"].create({
        "slug": str, "consecutive_failures": int, "last_success_at": str,
        "last_failure_at": str, "next_attempt_at": str, "last_error": str,
    }, pk="slug", if_not_exists=True)


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _baseline,
    _outlet_health,
]
SCHEMA_VERSION = len(MIGRATIONS)


class SchemaTooNew(sqlite3.DatabaseError):
    """The database was migrated by a newer rasd than this one."""


def migrate(store: Store) -> None:
    """Apply the migrations the database lacks (none: one PRAGMA read)."""
    if _version(store) == SCHEMA_VERSION:
        return
    with store.transaction() as conn:
        version = _version(store)   # again, under the write lock: another process may have won
        for step in MIGRATIONS[version:]:
            step(store.db)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION:d}")


def _version(store: Store) -> int:
    version = store.value("PRAGMA user_version")
    if version > SCHEMA_VERSION:
        raise SchemaTooNew(f"schema version {version} is newer than this rasd's "
                           f"({SCHEMA_VERSION}); upgrade rasd")
    return version
