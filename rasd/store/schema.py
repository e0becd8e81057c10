"""The schema, versioned: an ordered list of migrations, for SQLite files and PostgreSQL.

SQLite: a database records the number of migrations applied to it in its header
(`user_version`). Opening one that is up to date reads that number and runs nothing else; an
older one gets the missing migrations, all in one `BEGIN IMMEDIATE` transaction, so two
processes opening it at once migrate it once and a failed migration leaves it as it was.
Databases made before versioning have user_version 0: migration 1 brings any of them (the
spine's four tables, or anything the earlier `ensure_schema` grew since) to the schema below,
creating what is missing and adding missing columns. New changes are appended to MIGRATIONS,
never edited in.

PostgreSQL: the same schema from the same definition. The migrations ARE the definition:
a new PostgreSQL database is created straight at the latest version by applying MIGRATIONS to
an empty in-memory SQLite database and translating what they built (`postgres_schema`: every
table, column, primary key, NOT NULL, foreign key and index, partial ones included; TEXT ->
TEXT, INTEGER -> BIGINT, BLOB -> BYTEA, an INTEGER primary key `id` -> an identity column).
SQLite's FTS5 tables are left out: PostgreSQL's search side is `search.create_postgres_index`.
The version lives in the table `rasd_schema(version)`; creation and upgrades run in one
transaction under a transaction-scoped advisory lock, so two processes opening the database
at once migrate it once.

Future migrations (after SQLITE_HISTORY, the last one written for SQLite alone): each is
written ONCE as a `Portable` step, a function of the transaction's connection (`conn.execute`
with portable SQL: ALTER TABLE … ADD COLUMN, CREATE TABLE/INDEX IF NOT EXISTS, UPDATE …) and
`conn.dialect` for a spelling that differs. SQLite runs it in MIGRATIONS order like any other;
a PostgreSQL database older than it runs it from its `rasd_schema` version; a new PostgreSQL
database gets its effect through the in-memory build, since that runs it too.
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
        "published_date": str,   # the outlet's day (migration 2); published_at needs a time
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


def _published_date(db: sqlite_utils.Database) -> None:
    """Migration 2 (issue 12): the publication day apart from the instant. `published_at` is
    set only when the page gives a time; `published_date` (YYYY-MM-DD) whenever a day is
    known. Rows stored before kept a bare day in `published_at`: it moves to `published_date`,
    and every row with an instant gets that instant's day."""
    if "published_date" not in db["articles"].columns_dict:
        db["articles"].add_column("published_date", str)
    db.execute("UPDATE articles SET published_date = substr(published_at, 1, 10), "
               "published_at = CASE WHEN length(published_at) = 10 THEN NULL "
               "ELSE published_at END "
               "WHERE published_at IS NOT NULL AND published_date IS NULL")
    db["articles"].create_index(["published_date"], if_not_exists=True)


def _search_index(db: sqlite_utils.Database) -> None:
    """Migration 3 (issue 14): the full-text index of normalized titles and texts, built from
    every stored article (`rasd/store/search.py`)."""
    from rasd.store.search import rebuild  # the normalization, only when a migration runs

    rebuild(db.conn)


def _matched_at(db: sqlite_utils.Database) -> None:
    """Migration 4 (issue 11): `articles.matched_at`, when the article's matches were written
    (in the transaction that wrote them), so that an article stored without them (by a version
    whose article insert committed on its own, before a crash or a full disk) can be found and
    matched again: those are the articles with text and no `matched_at`.

    An existing article with match rows had them committed: it is marked. One without any is
    either one that matched nothing or one left half-written; which, only matching tells, so it
    stays unmarked and the next crawl re-matches it (`rasd.store.rematch.repair_unmatched`).
    Idempotent, as a copy made with `sqlite3 .dump` has the column and user_version 0.
    """
    if "matched_at" not in db["articles"].columns_dict:
        db["articles"].add_column("matched_at", str)
    db.conn.execute("UPDATE articles SET matched_at = coalesce(fetched_at, '') "
                    "WHERE id IN (SELECT article_id FROM matches) OR text IS NULL")
    db.conn.execute("CREATE INDEX IF NOT EXISTS idx_articles_unmatched ON articles (id) "
                    "WHERE matched_at IS NULL")


def _alerts(db: sqlite_utils.Database) -> None:
    """Migration 5 (issue 14): `alerts`, one row per (alert topic, story) announced or still
    to be, with when it was mailed and posted and the last failure (rasd/store/alerts.py)."""
    db["alerts"].create({
        "topic": str, "story_id": int, "article_id": int, "queued_at": str,
        "mailed_at": str, "posted_at": str, "sent_at": str, "attempts": int, "last_error": str,
    }, pk=("topic", "story_id"), if_not_exists=True)
    db["alerts"].create_index(["sent_at"], if_not_exists=True)


def _outlet_health(db: sqlite_utils.Database) -> None:
    """Migration 6 (issue 11): each outlet's health, so a failing outlet is retried with back-off
    (rasd/store/outlet_health.py)."""
    db["outlet_health"].create({
        "slug": str, "consecutive_failures": int, "last_success_at": str,
        "last_failure_at": str, "next_attempt_at": str, "last_error": str,
    }, pk="slug", if_not_exists=True)


def _url_claims(db: sqlite_utils.Database) -> None:
    """Migration 7 (issue 16): `url_claims`, the article URLs a crawl has taken to download,
    so that crawls running at once on several workers never download one page twice
    (rasd/store/claims.py). A claim is held by one crawl run (`run_id`) for its outlet
    (`source`) until the article is stored or the crawl gives it back."""
    db["url_claims"].create({"url": str, "source": str, "run_id": int, "claimed_at": str},
                            pk="url", if_not_exists=True)
    db["url_claims"].create_index(["run_id"], if_not_exists=True)


def _drop_story_minhash(conn: Any) -> None:
    """Migration 8: drop `article_signatures.story_minhash`, the old story rule's signature,
    no longer written since the story window (issue 13) and never read. Idempotent, like
    the other migrations: SQLite has no DROP COLUMN IF EXISTS."""
    if conn.dialect == "postgresql":
        conn.execute("ALTER TABLE article_signatures DROP COLUMN IF EXISTS story_minhash")
    elif conn.execute("SELECT 1 FROM pragma_table_info('article_signatures') "
                      "WHERE name = 'story_minhash'").fetchone():
        conn.execute("ALTER TABLE article_signatures DROP COLUMN story_minhash")


class Portable:
    """A migration written once for both databases: `step(conn)` on the transaction's
    connection (see the module's docstring)."""

    def __init__(self, step: Callable[[Any], None]):
        self.step = step
        self.__doc__ = step.__doc__


MIGRATIONS: list[Callable[[sqlite_utils.Database], None] | Portable] = [
    _baseline,
    _published_date,
    _search_index,
    _matched_at,
    _alerts,
    _outlet_health,
    _url_claims,
    Portable(_drop_story_minhash),
]
SCHEMA_VERSION = len(MIGRATIONS)
SQLITE_HISTORY = 7   # migrations up to this one are SQLite's alone (PostgreSQL starts here)
POSTGRES_LOCK = 0x72617364   # 'rasd': the advisory lock migrations of a PostgreSQL database take
# pg_tables, not to_regclass: a catalogue scan sees what another transaction committed while
# this one waited for the lock; to_regclass's cached catalogue may not yet
POSTGRES_HAS_VERSION = ("SELECT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = "
                        "current_schema() AND tablename = 'rasd_schema')")


class SchemaTooNew(sqlite3.DatabaseError):
    """The database was migrated by a newer rasd than this one."""


def migrate(store: Store) -> None:
    """Apply the migrations the database lacks (none: one PRAGMA read, on PostgreSQL two
    catalogue reads)."""
    if store.dialect == "postgresql":
        _migrate_postgres(store)
        return
    if _version(store) == SCHEMA_VERSION:
        return
    with store.transaction() as conn:
        version = _version(store)   # again, under the write lock: another process may have won
        for step in MIGRATIONS[version:]:
            if isinstance(step, Portable):
                step.step(conn)
            else:
                step(store.db)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION:d}")


def _migrate_postgres(store: Store) -> None:
    if _version(store) == SCHEMA_VERSION:
        return
    with store.transaction() as conn:
        conn.execute("SELECT pg_advisory_xact_lock(?)", [POSTGRES_LOCK])
        version = _version(store)   # again, under the lock: another process may have won
        if version == 0:
            from rasd.store.search import create_postgres_index

            for statement in postgres_schema():
                conn.execute(statement)
            conn.execute("CREATE TABLE rasd_schema (version BIGINT NOT NULL)")
            conn.execute("INSERT INTO rasd_schema (version) VALUES (?)", [SCHEMA_VERSION])
            create_postgres_index(conn)
            return
        for step in MIGRATIONS[version:]:
            step.step(conn)   # every migration after SQLITE_HISTORY is Portable
        conn.execute("UPDATE rasd_schema SET version = ?", [SCHEMA_VERSION])


def _version(store: Store) -> int:
    if store.dialect == "postgresql":
        has_table = store.value(POSTGRES_HAS_VERSION)
        version = store.value("SELECT version FROM rasd_schema") if has_table else 0
    else:
        version = store.value("PRAGMA user_version")
    if version > SCHEMA_VERSION:
        raise SchemaTooNew(f"schema version {version} is newer than this rasd's "
                           f"({SCHEMA_VERSION}); upgrade rasd")
    return version


_PG_TYPES = {"TEXT": "TEXT", "INTEGER": "BIGINT", "BLOB": "BYTEA", "FLOAT": "DOUBLE PRECISION",
             "REAL": "DOUBLE PRECISION", "": "TEXT"}


def postgres_schema() -> list[str]:
    """The PostgreSQL statements that create the latest schema: MIGRATIONS applied to an empty
    in-memory SQLite database, read back table by table (FTS5 tables left out)."""
    from rasd.store.database import SqliteConnection, Store

    memory = sqlite3.connect(":memory:", isolation_level=None, factory=SqliteConnection)
    try:
        migrate(Store(":memory:", memory))
        return _translate(memory)
    finally:
        memory.close()


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _translate(conn: sqlite3.Connection) -> list[str]:
    virtual = [name for name, in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'")]
    tables = [name for name, in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY rowid")
        if not any(name == v or name.startswith(v + "_") for v in virtual)]
    creates, constraints, indexes = [], [], []
    for table in tables:
        columns = conn.execute(f"PRAGMA table_info({_quoted(table)})").fetchall()
        keys = [c[1] for c in sorted((c for c in columns if c[5]), key=lambda c: c[5])]
        lines = []
        for _, name, kind, not_null, _, _ in columns:
            spelled = _PG_TYPES[kind.upper()]
            if keys == [name] and spelled == "BIGINT":
                spelled += " GENERATED BY DEFAULT AS IDENTITY"
            lines.append(f"{_quoted(name)} {spelled}{' NOT NULL' if not_null else ''}")
        if keys:
            lines.append(f"PRIMARY KEY ({', '.join(map(_quoted, keys))})")
        creates.append(f"CREATE TABLE {_quoted(table)} ({', '.join(lines)})")
        for _, _, parent, column, to, *_ in conn.execute(
                f"PRAGMA foreign_key_list({_quoted(table)})"):
            constraints.append(f"ALTER TABLE {_quoted(table)} ADD FOREIGN KEY "
                               f"({_quoted(column)}) REFERENCES {_quoted(parent)} "
                               f"({_quoted(to)})")
        for _, index, unique, origin, partial in conn.execute(
                f"PRAGMA index_list({_quoted(table)})"):
            if origin != "c":   # primary keys and UNIQUE constraints are in the table
                continue
            names = [r[2] for r in conn.execute(f"PRAGMA index_info({_quoted(index)})")]
            where = ""
            if partial:
                sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?",
                                   [index]).fetchone()[0]
                where = " WHERE " + sql[sql.upper().rindex(" WHERE ") + 7:]
            indexes.append(f"CREATE {'UNIQUE ' if unique else ''}INDEX {_quoted(index)} "
                           f"ON {_quoted(table)} ({', '.join(map(_quoted, names))}){where}")
    return creates + constraints + indexes
