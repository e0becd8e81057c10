"""`rasd search`: the stored archive, searched by words, phrases and AND/OR/NOT."""
from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, timedelta

import click

from rasd.cli.options import db_option, json_option, moment, open_database
from rasd.store.search import Hit
from rasd.store.search import search as search_articles
from rasd.text.search_query import QueryError, parse_query


def _until(value: str | None) -> str | None:
    """--until DATE includes that day: the bound is the next day's start."""
    parsed = moment(value, "--until")
    if parsed is not None and len(parsed) == 10:
        return (date.fromisoformat(parsed) + timedelta(days=1)).isoformat()
    return parsed


def _highlighted(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    """`text` with its hits in bold (click drops the styling off a terminal)."""
    out, pos = [], 0
    for start, end in spans:
        out += [text[pos:start], click.style(text[start:end], bold=True, underline=True)]
        pos = end
    return "".join(out) + text[pos:]


def _as_dict(hit: Hit) -> dict:
    row = asdict(hit)
    for part in ("title", "snippet"):
        row[part], row[f"{part}_highlights"] = row[part]["text"], row[part]["highlights"]
    row["rank"] = round(hit.rank, 4)
    return row


@click.command()
@click.argument("query")
@click.option("--since", metavar="DATE", default=None,
              help="Only articles published (else fetched) on or after DATE")
@click.option("--until", metavar="DATE", default=None,
              help="Only articles published (else fetched) on or before DATE")
@click.option("--topic", default=None, help="Only articles that matched this topic")
@click.option("--source", default=None, help="Only articles of this source slug")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True,
              help="Best results to show")
@json_option
@db_option
def search(query: str, since: str | None, until: str | None, topic: str | None,
           source: str | None, limit: int, as_json: bool, db: str) -> None:
    """Search stored articles: words, "phrases", AND/OR/NOT, best matches first.

    Spelling is normalized and proclitics ignored, as in the watchlist: حَفْتَر, حفتر and
    بحفتر find the same articles.
    """
    try:
        parsed = parse_query(query)
    except QueryError as exc:
        raise click.ClickException(f"cannot read the query: {exc}") from None
    since, until = moment(since, "--since"), _until(until)
    _, store = open_database(db)
    hits = search_articles(store, parsed, since, until, topic, source, limit)
    if as_json:
        click.echo(json.dumps([_as_dict(h) for h in hits], ensure_ascii=False, indent=2))
        return
    if not hits:
        click.echo("no article found")
    for hit in hits:
        when = (hit.published_at or hit.fetched_at or "")[:16].replace("T", " ")
        extra = f" · duplicate of #{hit.duplicate_of}" if hit.duplicate_of else ""
        topics = f" · {', '.join(hit.topics)}" if hit.topics else ""
        click.echo(f"#{hit.id} {when} · {hit.source or '?'}{topics}{extra}")
        click.echo(f"  {_highlighted(hit.title.text, hit.title.highlights)}")
        click.echo(f"  {_highlighted(hit.snippet.text, hit.snippet.highlights)}")
        click.echo(f"  {hit.url}")
