"""Full-text search over stored articles: the FTS5 index, kept in step, and its queries.

`articles_fts` is an FTS5 table with external content (`content="articles"`): it stores no
copy of the text, only the index, and Datasette finds it by that declaration, so `?_search=`
works on the articles table of the same file. What it indexes is not the stored text but the
text normalized as the watchlist sees it (`rasd/text/normalize.py`), so حَفْتَر and حفتر are
one token; proclitics are handled by the query (`rasd/text/search_query.py`).

Because the indexed values are computed, the index is written here and only here, in the
transaction that writes the article (`articles.save_article`, `retention`): no trigger (a
trigger could not call the normalization, and other tools writing the file would break on
it). FTS5 removes an external-content row by being given the values it indexed, so
`unindex` normalizes the old title and text again: the normalization must not change under a
stored index without a migration that rebuilds it (`rebuild`), and FTS5's own 'rebuild'
command, which would index the raw text, must not be used on this table.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rasd.text.normalize import normalize
from rasd.text.search_query import Query, Snippet, hit_spans, snippet, to_fts

if TYPE_CHECKING:
    from rasd.store.database import Store

FTS_TABLE = "articles_fts"
TITLE_WEIGHT = 3.0   # bm25: a word in the title counts three times one in the text
_CREATE = (f'CREATE VIRTUAL TABLE IF NOT EXISTS "{FTS_TABLE}" USING fts5('
           f'title, text, content="articles", content_rowid="id")')


def _values(title: str | None, text: str | None) -> tuple[str, str]:
    return normalize(title or ""), normalize(text or "")


def create_postgres_index(conn) -> None:
    """PostgreSQL's search index, created with a new PostgreSQL database's schema
    (`rasd.store.schema`), in its transaction. Nothing yet: the tsvector side replaces this
    (and `index`/`unindex`/`search` skip PostgreSQL until then)."""


def index(conn: sqlite3.Connection, article_id: int, title: str | None,
          text: str | None) -> None:
    """Add an article's normalized title and text to the index."""
    if getattr(conn, "dialect", "sqlite") != "sqlite":
        return
    conn.execute(f'INSERT INTO "{FTS_TABLE}" (rowid, title, text) VALUES (?, ?, ?)',
                 [article_id, *_values(title, text)])


def unindex(conn: sqlite3.Connection, article_id: int, title: str | None,
            text: str | None) -> None:
    """Take an article out of the index, given the title and text it was indexed with.

    A row the index does not hold (written by another tool, not by rasd) is left alone:
    FTS5 would take a 'delete' of values it never indexed as a corrupt index."""
    if getattr(conn, "dialect", "sqlite") != "sqlite":
        return
    if conn.execute(f'SELECT 1 FROM "{FTS_TABLE}_docsize" WHERE id = ?',
                    [article_id]).fetchone() is None:
        return
    conn.execute(f'INSERT INTO "{FTS_TABLE}" ("{FTS_TABLE}", rowid, title, text) '
                 f"VALUES ('delete', ?, ?, ?)", [article_id, *_values(title, text)])


def rebuild(conn: sqlite3.Connection) -> int:
    """(Re)create the index from every stored article; the number indexed. Migrations call it
    (the first creates the table; one after a change of normalization rebuilds it)."""
    conn.execute(f'DROP TABLE IF EXISTS "{FTS_TABLE}"')
    conn.execute(_CREATE)
    count = 0
    for article_id, title, text in conn.execute("SELECT id, title, text FROM articles"):
        index(conn, article_id, title, text)
        count += 1
    return count


@dataclass(frozen=True)
class Hit:
    """One article found: its whole title and a snippet of its text around the first hit,
    both in original characters, cleaned for display, with the spans of the query's hits."""

    id: int
    url: str
    source: str | None
    title: Snippet
    published_at: str | None
    fetched_at: str | None
    duplicate_of: int | None
    story_id: int | None
    topics: tuple[str, ...]
    rank: float
    snippet: Snippet


def search(store: Store, query: Query, since: str | None = None, until: str | None = None,
           topic: str | None = None, source: str | None = None, limit: int = 20) -> list[Hit]:
    """Articles matching `query`, best first (bm25, title weighted), filtered by date
    (published, else fetched: [since, until)), topic (a stored match) and source."""
    where, params = [f'"{FTS_TABLE}" MATCH ?'], [to_fts(query)]
    if since:
        where.append("COALESCE(a.published_at, a.fetched_at) >= ?")
        params.append(since)
    if until:
        where.append("COALESCE(a.published_at, a.fetched_at) < ?")
        params.append(until)
    if topic:
        where.append("EXISTS (SELECT 1 FROM matches m WHERE m.article_id = a.id "
                     "AND m.topic = ?)")
        params.append(topic)
    if source:
        where.append("a.source = ?")
        params.append(source)
    rows = store.rows(
        f"""SELECT a.id, a.url, a.source, a.title, a.text, a.published_at, a.fetched_at,
                   a.duplicate_of, a.story_id, bm25("{FTS_TABLE}", ?, 1.0) AS rank,
                   (SELECT {store.group_concat("topic", distinct=True)} FROM matches
                    WHERE article_id = a.id) AS topics
            FROM "{FTS_TABLE}" JOIN articles a ON a.id = "{FTS_TABLE}".rowid
            WHERE {' AND '.join(where)}
            ORDER BY rank, a.id LIMIT ?""", [TITLE_WEIGHT, *params, limit])
    return [_hit(row, query) for row in rows]


def _hit(row: dict, query: Query) -> Hit:
    title, text = row["title"] or "", row["text"] or ""
    in_text = hit_spans(text, query)
    whole_title = snippet(title, hit_spans(title, query), radius=len(title))
    return Hit(row["id"], row["url"], row["source"], whole_title, row["published_at"],
               row["fetched_at"], row["duplicate_of"], row["story_id"],
               tuple(sorted((row["topics"] or "").split(",") if row["topics"] else ())),
               row["rank"], snippet(text, in_text))
