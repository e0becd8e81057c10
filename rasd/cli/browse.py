"""`rasd browse`: the database in Datasette, on this machine only, with rasd's labels."""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import click

from rasd.cli.options import db_option, open_database
from rasd.config import default_file
from rasd.config import is_url

METADATA = default_file("datasette-metadata.json")
# ?_search= read as `rasd search` reads a query
PLUGINS = Path(__file__).resolve().parent.parent / "datasette_plugins"
_SHIPPED_NAME = "rasd"   # the database key in the shipped metadata (Datasette: the file stem)


def metadata_for(db: Path) -> dict:
    """The shipped metadata, under the name Datasette gives this file (its stem)."""
    metadata = json.loads(METADATA.read_text(encoding="utf-8"))
    databases = metadata["databases"]
    databases[db.stem] = databases.pop(_SHIPPED_NAME)
    return metadata


@click.command()
@db_option
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True,
              help="Port on 127.0.0.1 (0: any free port)")
def browse(db: str, port: int) -> None:
    """Open the database in Datasette on 127.0.0.1 (needs the extra: pip install 'rasd[browse]').

    ?_search= is read as `rasd search` reads a query (rasd/datasette_plugins); tables,
    columns and facets get the labels of rasd/defaults/datasette-metadata.json.
    """
    try:
        import datasette  # noqa: F401  (only whether it can be imported)
    except ImportError:
        raise click.ClickException("Datasette is not installed: pip install 'rasd[browse]' "
                                   "(or pip install datasette)") from None
    path, _ = open_database(db)   # created and migrated: the search index exists
    if is_url(path):
        raise click.ClickException("rasd browse opens SQLite files only (Datasette reads no "
                                   "PostgreSQL): browse a copy, or use psql")
    with tempfile.TemporaryDirectory(prefix="rasd-browse-") as folder:
        metadata = Path(folder) / "metadata.json"
        metadata.write_text(json.dumps(metadata_for(path), ensure_ascii=False),
                            encoding="utf-8")
        command = [sys.executable, "-m", "datasette", "serve", str(path.resolve()),
                   "--host", "127.0.0.1", "--port", str(port), "--metadata", str(metadata),
                   "--plugins-dir", str(PLUGINS)]
        child = subprocess.Popen(command)
        signal.signal(signal.SIGTERM, lambda *_: child.terminate())   # stop it with us
        try:
            code = child.wait()
        except KeyboardInterrupt:   # Ctrl-C reached Datasette too: let it finish stopping
            child.wait()
            code = 0
    sys.exit(code)
