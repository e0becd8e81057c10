"""`python -m rasd.devsite` (`make site`): serve the seed site on 127.0.0.1 and write its registry.

A fixture outlet for trying rasd by hand: `rasd crawl --sources site-sources.toml` then crawls
it exactly as an outlet on the internet. The registry turns politeness delays off for this one
outlet (it is yours, on loopback); every other setting is the production one.
"""
from __future__ import annotations

import signal
from pathlib import Path

import click

from rasd.devsite.server import FixtureServer
from rasd.devsite.site import LOOPBACK_POLITENESS, SITE, write_registry


class Stopped(Exception):
    """Ctrl-C or SIGTERM: close the server and exit normally."""


def _stop(signum: int, frame: object) -> None:
    raise Stopped


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="Port on 127.0.0.1 (0: a free one)")
@click.option("--registry", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("site-sources.toml"), show_default=True,
              help="Where to write the registry that points at the server")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=SITE,
              help="Folder to serve [default: seeds/site of this checkout]")
def main(port: int, registry: Path, root: Path) -> None:
    """Serve a fixture outlet on 127.0.0.1 until Ctrl-C, and write the registry to crawl it."""
    if not (root / "rss.xml").is_file():
        raise click.ClickException(f"{root}: not a fixture site (no rss.xml); "
                                   "run from a rasd checkout or pass --root")
    try:
        server = FixtureServer(root, port)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}") from None
    with server:
        try:
            write_registry(registry, server.base_url, **LOOPBACK_POLITENESS)
        except OSError as exc:
            raise click.ClickException(f"{registry}: cannot write the registry: "
                                       f"{exc.strerror}") from None
        click.echo(f"serving {root} at {server.base_url}/ until Ctrl-C")
        click.echo(f"registry written to {registry}:\n")
        click.echo(registry.read_text(encoding="utf-8"))
        click.echo(f"crawl it from another shell:  rasd crawl --sources {registry} --db site.db")
        for signum in (signal.SIGINT, signal.SIGTERM):   # also when started in the background
            signal.signal(signum, _stop)
        try:
            signal.pause()
        except Stopped:
            click.echo("stopped")


if __name__ == "__main__":
    main(prog_name="python -m rasd.devsite")
