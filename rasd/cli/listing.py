"""`rasd matches` and `rasd articles`: what is stored, as a table or as JSON."""
from __future__ import annotations

import json

import click
from tabulate import tabulate

from rasd.cli.options import db_option, open_database

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table")
limit_option = click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True,
                            help="Newest rows to show")


def _shorten(value: str | None, width: int) -> str:
    value = " ".join((value or "").split())
    if value[:4].isdigit() and value[10:11] == "T":  # a timestamp: minutes are enough
        return value[:16].replace("T", " ")
    return value if len(value) <= width else value[: width - 1] + "…"


def _emit(rows: list[dict], as_json: bool, columns: dict[str, int], empty: str) -> None:
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif not rows:
        click.echo(empty)
    else:
        table = [[_shorten(str(row[c]) if row[c] is not None else "", w)
                  for c, w in columns.items()] for row in rows]
        click.echo(tabulate(table, headers=list(columns), tablefmt="simple"))


@click.command()
@db_option
@click.option("--topic", default=None, help="Only this topic")
@limit_option
@json_option
def matches(db: str | None, topic: str | None, limit: int, as_json: bool) -> None:
    """List watchlist matches, newest articles first."""
    _, database = open_database(db)
    where, params = ("WHERE m.topic = ?", [topic]) if topic else ("", [])
    rows = list(database.query(
        f"""SELECT a.id AS article,
                   COALESCE(a.published_at, a.published_date, a.fetched_at) AS published,
                   a.source, m.topic, m.term, m.count, a.title, a.url, m.snippet
            FROM matches m JOIN articles a ON a.id = m.article_id {where}
            ORDER BY published DESC, a.id DESC, m.topic, m.term LIMIT ?""",
        [*params, limit]))
    _emit(rows, as_json, {"article": 7, "published": 16, "source": 12, "topic": 12,
                          "term": 24, "count": 5, "title": 48}, "no matches stored")


@click.command()
@db_option
@click.option("--source", default=None, help="Only this source slug")
@limit_option
@json_option
def articles(db: str | None, source: str | None, limit: int, as_json: bool) -> None:
    """List stored articles with their topics, duplicates and stories, newest first."""
    _, database = open_database(db)
    where, params = ("WHERE a.source = ?", [source]) if source else ("", [])
    rows = list(database.query(
        f"""SELECT a.id, COALESCE(a.published_at, a.published_date, a.fetched_at) AS published,
                   a.source,
                   a.lang, length(a.text) AS chars,
                   (SELECT group_concat(DISTINCT topic) FROM matches
                    WHERE article_id = a.id) AS topics,
                   a.duplicate_of AS dup_of, a.story_id AS story, a.title, a.url
            FROM articles a {where}
            ORDER BY published DESC, a.id DESC LIMIT ?""", [*params, limit]))
    _emit(rows, as_json, {"id": 6, "published": 16, "source": 12, "lang": 4, "chars": 6,
                          "topics": 20, "dup_of": 6, "story": 6, "title": 40},
          "no articles stored")
