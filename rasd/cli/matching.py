"""`rasd match`, `rematch` and `prune`: the watchlist against texts and stored articles."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from rasd import clock
from rasd.cli.options import (
    checked,
    config_option,
    db_option,
    json_option,
    moment,
    open_database,
    watchlist_option,
)
from rasd.store.rematch import rematch as rematch_articles
from rasd.store.retention import prune_unmatched_text, retention_cutoff
from rasd.text.watchlist_layers import load_effective_watchlist


def _read_text(path: str | None) -> str:
    """A UTF-8 text file, or stdin for None; a one-line error otherwise."""
    name = path or "<stdin>"
    try:
        raw = Path(path).read_bytes() if path else sys.stdin.buffer.read()
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise click.ClickException(f"{name}: not UTF-8 text") from None
    except OSError as exc:
        raise click.ClickException(f"{name}: cannot read: {exc.strerror or exc}") from None


@click.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@watchlist_option
@json_option
def match(files: tuple[str, ...], watchlist: str | None, as_json: bool) -> None:
    """Show which topics and terms FILES (UTF-8 text; stdin when none) match, with snippets.

    Nothing is stored: use it to check a new term before adding it to the watchlist.
    """
    compiled = checked(load_effective_watchlist, watchlist).watchlist
    texts = [(f, _read_text(f)) for f in files] or [("<stdin>", _read_text(None))]
    rows = [{"file": name, "topic": m.topic, "term": m.term, "count": m.count,
             "position": m.position, "form": m.form, "snippet": m.snippet}
            for name, text in texts for m in compiled.match(text)]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for name, _ in texts:
        found = [r for r in rows if r["file"] == name]
        topics = sorted({r["topic"] for r in found})
        click.echo(f"{name}: " + (f"{len(topics)} topic(s): {', '.join(topics)}" if found
                                  else "no match"))
        for r in found:
            click.echo(f"  {r['topic']} / {r['term']}: {r['count']} hit(s), first at "
                       f"{r['position']} as «{r['form']}»\n    {r['snippet']}")


@click.command()
@click.option("--since", metavar="DATE", default=None,
              help="Only articles published (else fetched) on or after DATE (YYYY-MM-DD)")
@watchlist_option
@db_option
def rematch(since: str | None, watchlist: str | None, db: str) -> None:
    """Re-apply the current watchlist to stored articles, replacing their matches."""
    since = moment(since, "--since")
    compiled = checked(load_effective_watchlist, watchlist).watchlist
    _, store = open_database(db, write=True)
    report = rematch_articles(store, compiled, since)
    click.echo(f"articles: {report.articles} rematched, {report.without_text} without text "
               f"(pruned) left alone")
    click.echo(f"matches: {report.added} added, {report.removed} removed, {report.changed} "
               f"updated, {report.unchanged} unchanged")
    click.echo("topics: " + (", ".join(f"{t} {n}" for t, n in sorted(report.topics.items()))
                             or "none"))


@click.command()
@config_option("--days", setting="retention_days", type=int,
               help="Keep the text of unmatched articles this many days (0: forever)")
@db_option
def prune(days: int, db: str) -> None:
    """Drop the text of old articles that matched nothing (URL and text hash are kept)."""
    now = clock.now()
    _, store = open_database(db, write=True)
    pruned = prune_unmatched_text(store, now, days)
    if days <= 0:
        click.echo("retention is off (--days 0): every text is kept")
    else:
        click.echo(f"pruned the text of {pruned} article(s) that matched nothing, fetched "
                   f"before {retention_cutoff(now, days)} (URL and text SHA-256 kept)")
