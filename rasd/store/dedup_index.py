"""The persistent duplicate and story index: SQLite tables, read and written per article.

- `article_signatures`: one row per stored article (shingle count, MinHash signature, the
  time its story is placed at), indexed by that time for the story window.
- `dedup_bands`: the LSH band keys, primary key (key, article_id), so finding the candidate
  duplicates of an article is BANDS indexed lookups, not a scan.
- `stories`: one row per story with its first/last seen, counts and representative title.
Because all of it lives in the database, a new process sees every earlier article. The tables
are created by `rasd.store.schema`. Writes run in `Store.transaction()`: inside the store
stage's batch transaction they join it, so an article and its index rows commit together.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from rasd.store import statements
from rasd.store.database import Store
from rasd.text.similarity import Signature


def window(story_time: str, hours: float) -> tuple[str, str]:
    """The ISO bounds `hours` either side of `story_time` (a timestamp or a bare date)."""
    moment = datetime.fromisoformat(story_time)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    delta = timedelta(hours=hours)
    return ((moment - delta).isoformat(timespec="seconds"),
            (moment + delta).isoformat(timespec="seconds"))


@dataclass
class Stored:
    """An indexed article, as a candidate original."""

    article_id: int
    root_id: int          # the first carrier of its text (itself unless a duplicate)
    signature: Signature


_SIGNATURE_COLUMNS = ("article_id", "shingles", "minhash", "story_time")
Ref = int | str   # a stored article's id, or the URL of one not stored yet (see resolve)


class DedupIndex:
    """Queries and writes of the persistent index, on the process's store."""

    def __init__(self, store: Store):
        self.store = store

    def _stored(self, where: str, params: list) -> list[Stored]:
        with self.store.read() as conn:
            rows = conn.execute(
                "SELECT s.article_id, coalesce(a.duplicate_of, a.id), s.shingles,"
                " s.minhash FROM article_signatures s"
                f" JOIN articles a ON a.id = s.article_id WHERE {where}", params).fetchall()
        return [Stored(r[0], r[1], Signature.from_row(r[2], r[3])) for r in rows]

    def exact(self, fingerprint: str) -> int | None:
        """The first carrier of exactly this text, if any."""
        return self.store.value(
            "SELECT coalesce(duplicate_of, id) FROM articles WHERE fingerprint = ?"
            " ORDER BY id LIMIT 1", [fingerprint])

    def duplicate_candidates(self, signature: Signature) -> list[Stored]:
        """Articles sharing at least one LSH band with `signature`."""
        keys = signature.band_keys()
        return self._stored(
            "s.article_id IN (SELECT DISTINCT article_id FROM dedup_bands WHERE key IN "
            f"({', '.join('?' * len(keys))}))", keys)

    def resolve(self, ref: Ref) -> tuple[int, int, int | None] | None:
        """(id, root id, story id) of a stored article, by id or by URL; None if absent."""
        column = "url" if isinstance(ref, str) else "id"
        with self.store.read() as conn:
            row = conn.execute("SELECT id, coalesce(duplicate_of, id), story_id FROM articles"
                               f" WHERE {column} = ?", [ref]).fetchone()
        return tuple(row) if row else None

    def story_of(self, article_id: int) -> int | None:
        return self.store.value("SELECT story_id FROM articles WHERE id = ?", [article_id])

    def link(self, article_id: int, duplicate_of: int | None, story_id: int) -> None:
        """Record what the article duplicates (if anything) and the story it belongs to."""
        self.store.write("UPDATE articles SET duplicate_of = ?, story_id = ? WHERE id = ?",
                         [duplicate_of, story_id, article_id])

    def add(self, article_id: int, signature: Signature, story_time: str) -> None:
        with self.store.transaction() as conn:
            conn.execute(
                statements.upsert_sql("article_signatures", _SIGNATURE_COLUMNS, ("article_id",)),
                [article_id, signature.shingles, signature.to_blob(), story_time])
            conn.executemany(
                "INSERT INTO dedup_bands (key, article_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                [(key, article_id) for key in signature.band_keys()])

    def remove(self, article_id: int) -> bool:
        """Take an article out of the index (before re-adding its new text); False if absent."""
        with self.store.transaction() as conn:
            row = conn.execute("SELECT shingles, minhash FROM article_signatures"
                               " WHERE article_id = ?", [article_id]).fetchone()
            if row is None:
                return False
            conn.executemany(
                "DELETE FROM dedup_bands WHERE key = ? AND article_id = ?",
                [(key, article_id) for key in Signature.from_row(*row).band_keys()])
            conn.execute("DELETE FROM article_signatures WHERE article_id = ?", [article_id])
        return True

    def new_story(self) -> int:
        return self.store.write("INSERT INTO stories (articles, outlets) VALUES (0, 0)"
                                " RETURNING id").fetchone()[0]

    def count_in_story(self, story_id: int, article_id: int) -> None:
        """Add a newly linked article (the story's highest id) to its story's times, counts
        and title, in place: the same summary `refresh_story` computes, without reading the
        story's other articles (at most until the first that settles outlets and title)."""
        self.store.write(
            "UPDATE stories SET"
            " first_seen = CASE WHEN stories.first_seen IS NULL"
            "   OR a.fetched_at < stories.first_seen THEN a.fetched_at"
            "   ELSE stories.first_seen END,"
            " last_seen = CASE WHEN stories.last_seen IS NULL"
            "   OR a.fetched_at > stories.last_seen THEN a.fetched_at"
            "   ELSE stories.last_seen END,"
            " articles = stories.articles + 1,"
            " outlets = stories.outlets + CASE WHEN a.source IS NOT NULL AND NOT EXISTS ("
            "   SELECT 1 FROM articles o"
            "   WHERE o.story_id = :story AND o.source = a.source AND o.id != a.id)"
            "   THEN 1 ELSE 0 END,"
            " title = CASE WHEN EXISTS (SELECT 1 FROM articles o WHERE o.story_id = :story"
            "   AND o.id != a.id AND (o.duplicate_of IS NULL OR a.duplicate_of IS NOT NULL))"
            "   THEN stories.title ELSE a.title END"
            " FROM (SELECT id, fetched_at, source, title, duplicate_of FROM articles"
            "       WHERE id = :article) AS a"
            " WHERE stories.id = :story", {"story": story_id, "article": article_id})

    def refresh_story(self, story_id: int) -> None:
        """Recompute a story's times, counts and title (its earliest original's title)."""
        self.store.write(
            "UPDATE stories SET"
            " first_seen = (SELECT min(fetched_at) FROM articles WHERE story_id = :id),"
            " last_seen = (SELECT max(fetched_at) FROM articles WHERE story_id = :id),"
            " articles = (SELECT count(*) FROM articles WHERE story_id = :id),"
            " outlets = (SELECT count(DISTINCT source) FROM articles WHERE story_id = :id),"
            " title = (SELECT title FROM articles WHERE story_id = :id"
            "          ORDER BY duplicate_of IS NOT NULL, id LIMIT 1)"
            " WHERE id = :id", {"id": story_id})
