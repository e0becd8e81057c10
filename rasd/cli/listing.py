"""`rasd matches` and `rasd articles`: what is stored, as a table or as JSON."""
from __future__ import annotations

import json

import click
from tabulate import tabulate

from rasd.cli.options import db_option, json_option, open_database
from rasd.store.reports import recent_articles, recent_drops, recent_matches

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
def matches(db: str, topic: str | None, limit: int, as_json: bool) -> None:
    """List watchlist matches, newest articles first."""
    _, store = open_database(db)
    rows = recent_matches(store, topic, limit)
    _emit(rows, as_json, {"article": 7, "published": 16, "source": 12, "topic": 12,
                          "term": 24, "count": 5, "title": 48}, "no matches stored")


@click.command()
@db_option
@click.option("--source", default=None, help="Only this source slug")
@click.option("--dropped", is_flag=True,
              help="List the dropped pages instead, with why (retried after "
                   "RASD_DROPPED_RETRY_HOURS)")
@limit_option
@json_option
def articles(db: str, source: str | None, dropped: bool, limit: int, as_json: bool) -> None:
    """List stored articles with their topics, duplicates and stories, newest first."""
    _, store = open_database(db)
    if dropped:
        _emit(recent_drops(store, source, limit), as_json,
              {"dropped": 16, "source": 12, "reason": 60, "url": 60}, "no dropped pages")
        return
    rows = recent_articles(store, source, limit)
    _emit(rows, as_json, {"id": 6, "published": 16, "source": 12, "lang": 4, "chars": 6,
                          "topics": 20, "dup_of": 6, "story": 6, "title": 40},
          "no articles stored")
