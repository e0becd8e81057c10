"""Full-text search over stored articles: the index, kept in step, and its queries, on both
backends behind one interface (`index`, `unindex`, `rebuild`, `search`).

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

On PostgreSQL the index is a table of the same name holding one `tsvector` per article under a
GIN index, written in the same places and transactions. The vector is built here, not by
`to_tsvector`: PostgreSQL's parser splits words its own way (hyphens, numbers, e-mail
addresses), and a phrase query must see the tokens `rasd search` sees (`search_query.WORD`
over the normalized text), at the positions they have; title words weigh A, text words D, a
position apart, so that a phrase never runs from the title into the text (FTS5 matches one
column at a time). PostgreSQL keeps positions up to 16383: a phrase after about the
16,000th word of an article is found as its words, not as a phrase. Ranking is `ts_rank`
with the title weighted three times the text (its length-normalized form, as bm25 is), given
negated so that on both backends a lower rank is better. Snippets and highlights are rasd's
own on both (`search_query.snippet`), in the original characters: `ts_headline` would mark the
normalized text and know nothing of proclitics.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rasd.text.normalize import normalize
from rasd.text.search_query import (
    WORD, Node, Query, Snippet, hit_spans, lexeme, phrases, snippet, to_fts, to_tsquery)

if TYPE_CHECKING:
    from rasd.store.database import Store

FTS_TABLE = "articles_fts"
TITLE_WEIGHT = 3.0   # bm25: a word in the title counts three times one in the text
_CREATE = (f'CREATE VIRTUAL TABLE IF NOT EXISTS "{FTS_TABLE}" USING fts5('
           f'title, text, content="articles", content_rowid="id")')
_PG_CREATE = (f'CREATE TABLE IF NOT EXISTS "{FTS_TABLE}" (article_id BIGINT PRIMARY KEY '
              f'REFERENCES articles (id) ON DELETE CASCADE, document TSVECTOR NOT NULL)',
              f'CREATE INDEX IF NOT EXISTS "{FTS_TABLE}_document" ON "{FTS_TABLE}" '
              f'USING GIN (document)')
# ts_rank's weights for D, C, B, A: text words are D, title words A, three times as heavy
_PG_WEIGHTS = f"{{0.3, 0, 0, {0.3 * TITLE_WEIGHT:g}}}"
REBUILD_PAGE = 500
MAX_POSITION = 16383   # PostgreSQL's; later positions are stored as this one


def is_postgres(conn: Any) -> bool:
    """Whether a transaction's connection is PostgreSQL's (a bare sqlite3 one has no dialect)."""
    return getattr(conn, "dialect", "sqlite") == "postgresql"


def create_postgres_index(conn: Any) -> None:
    """PostgreSQL's search index: created with a new PostgreSQL database's schema
    (`rasd.store.schema`), in its transaction, and by `rebuild`."""
    for statement in _PG_CREATE:
        conn.execute(statement)


def _values(title: str | None, text: str | None) -> tuple[str, str]:
    return normalize(title or ""), normalize(text or "")


def document(title: str | None, text: str | None) -> str:
    """The tsvector (as text) of an article: each normalized word with its positions, title
    words weighted A, text words after them and a gap, weight D."""
    positions: dict[str, list[str]] = {}
    position = 0
    for value, weight in zip(_values(title, text), ("A", "")):
        for word in WORD.findall(value):
            position += 1
            positions.setdefault(word, []).append(f"{min(position, MAX_POSITION)}{weight}")
        position += 1
    return " ".join(f"{lexeme(word)}:{','.join(marks[:256])}"
                    for word, marks in positions.items())


def index(conn: Any, article_id: int, title: str | None, text: str | None) -> None:
    """Add an article's normalized title and text to the index."""
    if is_postgres(conn):
        conn.execute(f'INSERT INTO "{FTS_TABLE}" (article_id, document) '
                     f'VALUES (?, CAST(? AS tsvector))', [article_id, document(title, text)])
        return
    conn.execute(f'INSERT INTO "{FTS_TABLE}" (rowid, title, text) VALUES (?, ?, ?)',
                 [article_id, *_values(title, text)])


def unindex(conn: Any, article_id: int, title: str | None, text: str | None) -> None:
    """Take an article out of the index, given the title and text it was indexed with.

    A row the index does not hold (written by another tool, not by rasd) is left alone:
    FTS5 would take a 'delete' of values it never indexed as a corrupt index."""
    if is_postgres(conn):
        conn.execute(f'DELETE FROM "{FTS_TABLE}" WHERE article_id = ?', [article_id])
        return
    if conn.execute(f'SELECT 1 FROM "{FTS_TABLE}_docsize" WHERE id = ?',
                    [article_id]).fetchone() is None:
        return
    conn.execute(f'INSERT INTO "{FTS_TABLE}" ("{FTS_TABLE}", rowid, title, text) '
                 f"VALUES ('delete', ?, ?, ?)", [article_id, *_values(title, text)])


def rebuild(conn: Any) -> int:
    """(Re)create the index from every stored article; the number indexed. Migrations call it
    (the first creates the table; one after a change of normalization rebuilds it)."""
    conn.execute(f'DROP TABLE IF EXISTS "{FTS_TABLE}"')
    if is_postgres(conn):
        create_postgres_index(conn)
    else:
        conn.execute(_CREATE)
    count, last = 0, -1
    while True:   # in pages, so that a big archive's texts are never all in memory
        page = conn.execute("SELECT id, title, text FROM articles WHERE id > ? ORDER BY id "
                            "LIMIT ?", [last, REBUILD_PAGE]).fetchall()
        for article_id, title, text in page:
            index(conn, article_id, title, text)
        if not page:
            return count
        count, last = count + len(page), page[-1][0]


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
    """Articles matching `query`, best first (bm25 or ts_rank, title weighted), filtered by
    date (published, else fetched: [since, until)), topic (a stored match) and source."""
    postgres = store.dialect == "postgresql"
    where, params = ([f'"{FTS_TABLE}".document @@ CAST(? AS tsquery)'], [to_tsquery(query)]) \
        if postgres else ([f'"{FTS_TABLE}" MATCH ?'], [to_fts(query)])
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
    if postgres:
        # ranked by what is looked for: ts_rank gives a query with NOT a rank of about 0
        wanted = to_tsquery(Node("OR", tuple(phrases(query))))
        rank, rank_params = (f"-ts_rank(CAST(? AS real[]), \"{FTS_TABLE}\".document, "
                             f"CAST(? AS tsquery), 1)"), [_PG_WEIGHTS, wanted]
        joined = f'a.id = "{FTS_TABLE}".article_id'
    else:
        rank, rank_params = f'bm25("{FTS_TABLE}", ?, 1.0)', [TITLE_WEIGHT]
        joined = f'a.id = "{FTS_TABLE}".rowid'
    rows = store.rows(
        f"""SELECT a.id, a.url, a.source, a.title, a.text, a.published_at, a.fetched_at,
                   a.duplicate_of, a.story_id, {rank} AS rank,
                   (SELECT {store.group_concat("topic", distinct=True)} FROM matches
                    WHERE article_id = a.id) AS topics
            FROM "{FTS_TABLE}" JOIN articles a ON {joined}
            WHERE {' AND '.join(where)}
            ORDER BY rank, a.id LIMIT ?""", [*rank_params, *params, limit])
    return [_hit(row, query) for row in rows]


def _hit(row: dict, query: Query) -> Hit:
    title, text = row["title"] or "", row["text"] or ""
    in_text = hit_spans(text, query)
    whole_title = snippet(title, hit_spans(title, query), radius=len(title))
    return Hit(row["id"], row["url"], row["source"], whole_title, row["published_at"],
               row["fetched_at"], row["duplicate_of"], row["story_id"],
               tuple(sorted((row["topics"] or "").split(",") if row["topics"] else ())),
               row["rank"], snippet(text, in_text))
