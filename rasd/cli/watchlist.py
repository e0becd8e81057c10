"""`rasd watchlist show/add/remove`: the effective watchlist, and edits of the analyst's file."""
from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from rasd.cli.options import checked, config_option, json_option, watchlist_option
from rasd.text.watchlist import DEFAULT_WATCHLIST
from rasd.text.watchlist_edit import add_terms, remove_terms
from rasd.text.watchlist_layers import DISABLED, load_effective_watchlist

file_option = config_option(
    "--watchlist", setting="watchlist", type=click.Path(dir_okay=False),
    help="Your watchlist file to edit (created when missing)")


@click.group("watchlist")
def watchlist_group() -> None:
    """Show the effective watchlist; add and remove terms in your own file."""


@watchlist_group.command()
@watchlist_option
@json_option
def show(watchlist: str | None, as_json: bool) -> None:
    """Show the effective watchlist: every topic, its terms, and where it comes from."""
    effective = checked(load_effective_watchlist, watchlist)
    if as_json:
        click.echo(json.dumps({"shipped": None if effective.replaced else str(DEFAULT_WATCHLIST),
                               "yours": str(effective.layer) if effective.layer else None,
                               "topics": [asdict(t) for t in effective.topics]},
                              ensure_ascii=False, indent=2))
        return
    layers = [] if effective.replaced else [f"shipped {DEFAULT_WATCHLIST}"]
    if effective.layer:
        layers.append(f"yours {effective.layer}" + (" (replace = true)" if effective.replaced
                                                     else ""))
    click.echo("watchlist: " + " + ".join(layers))
    for topic in sorted(effective.topics, key=lambda t: t.slug):
        described = f" — {topic.description}" if topic.description else ""
        click.echo(f"{topic.slug} ({topic.origin}){described}")
        if topic.origin != DISABLED:
            click.echo(f"  terms: {', '.join(topic.terms)}")
        if topic.added:
            click.echo(f"  added by you: {', '.join(topic.added)}")
        if topic.removed:
            click.echo(f"  removed by you: {', '.join(topic.removed)}")


@watchlist_group.command()
@click.argument("topic")
@click.argument("terms", nargs=-1, required=True)
@file_option
def add(topic: str, terms: tuple[str, ...], watchlist: str) -> None:
    """Add TERMS to TOPIC in your watchlist file (a new topic if it is not known)."""
    for line in checked(add_terms, Path(watchlist), topic, list(terms)):
        click.echo(line)
    click.echo(f"saved {watchlist}; `rasd rematch` applies it to stored articles")


@watchlist_group.command()
@click.argument("topic")
@click.argument("terms", nargs=-1)
@file_option
def remove(topic: str, terms: tuple[str, ...], watchlist: str) -> None:
    """Remove TERMS from TOPIC (the whole topic when no term is given) in your watchlist file."""
    for line in checked(remove_terms, Path(watchlist), topic, list(terms)):
        click.echo(line)
    click.echo(f"saved {watchlist}; `rasd rematch` applies it to stored articles")
