"""`rasd migrate`: move an archive between SQLite and PostgreSQL, ids and all, verified."""
from __future__ import annotations

import sys
import click
from tabulate import tabulate

from rasd.cli.options import open_database
from rasd.store.copy import TABLES, Copied, CopyError, copy_archive
from rasd.config import describe


class ProgressBar:
    """click's progress bar on stderr, made at the first report (when the total is known)."""

    def __init__(self):
        self.bar = None

    def show(self, table: str, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, file=sys.stderr).__enter__()
        self.bar.label = f"copying {table:<18}"
        self.bar.update(done - self.bar.pos)

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc_info) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc_info)


def report(copied: Copied) -> str:
    """The table of counts and checksums, source beside target."""
    source, target = copied.source, copied.target
    rows = [(t, source.rows[t], target.rows[t]) for t in TABLES]
    rows += [("sum of article ids", source.article_id_sum, target.article_id_sum),
             ("characters of text", source.text_characters, target.text_characters)]
    rows += [(f"matches of {topic}", n, target.matches_per_topic.get(topic, 0))
             for topic, n in sorted(source.matches_per_topic.items())]
    return tabulate([(*row, "ok" if row[1] == row[2] else "DIFFERS") for row in rows],
                    headers=("table", "source", "target", "check"), intfmt=",")


@click.command()
@click.option("--from", "source", required=True, metavar="DB",
              help="The archive to copy: an SQLite file or a postgresql:// URL")
@click.option("--to", "target", required=True, metavar="DB",
              help="An empty database to copy it into (an SQLite file is created)")
def migrate(source: str, target: str) -> None:
    """Copy a whole archive into an empty database (SQLite <-> PostgreSQL), verified.

    Ids, matches, stories, the duplicate index, runs, seen URLs, digests, alerts and the
    daemon's state are copied in one transaction on the target and counted on both sides
    before it commits: a failure or an interruption leaves the target empty. Stop `rasd run`
    and crawls on the source while it runs.
    """
    if source == target:
        raise click.UsageError("--from and --to name the same database")
    _, source_store = open_database(source)
    _, target_store = open_database(target, create=True, write=True)
    with ProgressBar() as progress:
        try:
            copied = copy_archive(source_store, target_store,
                                  progress.show if sys.stderr.isatty() else None)
        except CopyError as exc:
            raise click.ClickException(f"{describe(target)}: {exc}") from None
    click.echo(report(copied))
    click.echo(f"copied {sum(copied.target.rows.values()):,} rows from {describe(source)} "
               f"to {describe(target)}; its search index is built")
