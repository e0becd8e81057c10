"""The `rasd` command line (click): one module per command, imported only when it runs.

A crawl command needs Scrapy and trafilatura, `rasd status` needs neither: importing every
command up front made each of them take seconds to start. `LazyGroup` is click's documented
"lazy loading subcommands" pattern; the short help of each command is kept beside its import
path, so that `rasd --help` lists them without importing any (a test checks that the two agree).
"""
from __future__ import annotations

import importlib

import click

# name -> ("module:attribute", the first line of the command's docstring)
COMMANDS = {
    "articles": ("rasd.cli.listing:articles",
                 "List stored articles with their topics, duplicates and stories, newest first."),
    "browse": ("rasd.cli.browse:browse",
               ("Open the database in Datasette on 127.0.0.1 (needs the extra: pip install "
                "'rasd[browse]').")),
    "crawl": ("rasd.cli.crawl:crawl",
              "Crawl the registry's feeds and sitemaps once and store what matches."),
    "digest": ("rasd.cli.digest:digest",
               "Write the digest of a day's matches (default: yesterday) and print its path."),
    "enqueue": ("rasd.cli.worker:enqueue",
                ("Queue one crawl of every outlet shard for the workers (what `rasd run` does "
                 "each tick).")),
    "doctor": ("rasd.cli.doctor:doctor",
               "Check the database file (integrity, schema version) and say how to recover it."),
    "match": ("rasd.cli.matching:match",
              ("Show which topics and terms FILES (UTF-8 text; stdin when none) match, with "
               "snippets.")),
    "matches": ("rasd.cli.listing:matches", "List watchlist matches, newest articles first."),
    "migrate": ("rasd.cli.migrate:migrate",
                "Copy a whole archive into an empty database (SQLite <-> PostgreSQL), verified."),
    "prune": ("rasd.cli.matching:prune",
              "Drop the text of old articles that matched nothing (URL and text hash are kept)."),
    "rematch": ("rasd.cli.matching:rematch",
                "Re-apply the current watchlist to stored articles, replacing their matches."),
    "replay": ("rasd.cli.crawl:replay",
               ("Replay local .txt/.html files (or folders of them), or a recorded crawl, "
                "offline.")),
    "run": ("rasd.cli.run:run",
            ("Run the daemon: crawl on a schedule, write the daily digest, keep the database "
             "tidy.")),
    "search": ("rasd.cli.search:search",
               'Search stored articles: words, "phrases", AND/OR/NOT, best matches first.'),
    "sources": ("rasd.cli.sources:sources_group", "Show and check the outlet registry."),
    "status": ("rasd.cli.status:status",
               ("Show the daemon's state, its next jobs, the last crawls and the database's "
                "contents.")),
    "worker": ("rasd.cli.worker:worker",
               "Run a crawl worker: take outlet-shard jobs from the queue, crawl each in a child."),
    "watchlist": ("rasd.cli.watchlist:watchlist_group",
                  "Show the effective watchlist; add and remove terms in your own file."),
}


class LazyGroup(click.Group):
    """A group whose commands are `module:attribute` paths, imported when first needed."""

    def __init__(self, *args, lazy_commands: dict[str, tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy_commands = lazy_commands

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(self.lazy_commands)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.lazy_commands:
            return None
        module, _, attribute = self.lazy_commands[cmd_name][0].partition(":")
        return getattr(importlib.import_module(module), attribute)

    def invoke(self, ctx: click.Context):
        """Run the command; a database error it meets (damaged file, full disk, read-only)
        becomes one line naming the file and what to do, not a traceback."""
        try:
            return super().invoke(ctx)
        except Exception as exc:
            from rasd.store.errors import DatabaseError, describe_database_error

            if not isinstance(exc, DatabaseError):
                raise
            path = ctx.meta.get("rasd.db", "the database")
            raise click.ClickException(describe_database_error(exc, path)) from None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list of --help, shortened as click shortens it, from the summaries."""
        limit = formatter.width - 6 - max(map(len, self.lazy_commands))
        rows = [(name, click.Command(name, help=summary).get_short_help_str(limit))
                for name, (_, summary) in sorted(self.lazy_commands.items())]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, lazy_commands=COMMANDS,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rasd")
def cli() -> None:
    """rasd (رصد): watch Arabic news outlets for the names and terms you follow."""


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="rasd")
