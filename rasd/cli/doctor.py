"""`rasd doctor`: check the database file, and say how to recover a damaged one.

SQLite detects damage (a disk that lost writes, a file copied while written, garbage written
over it); it cannot undo it. Recovery copies what is still readable into a new file with the
sqlite3 shell (`.dump`, which every build has; `.recover` digs deeper where the build has it:
Debian's 3.40 shell fails it with "SQL logic error"),
or rebuilds the articles from a recorded crawl (`rasd replay`). The copy has no schema
version (user_version 0): rasd's migrations are idempotent and bring it up to date. The check
itself only reads (rasd.store.health).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import click

from rasd.cli.options import db_option
from rasd.store.health import check_health
from rasd.config import describe, is_url


def recovery_steps(path: Path) -> list[str]:
    """What to do with a damaged file, with the sqlite3 shell if this machine has one."""
    new = path.with_name(f"{path.stem}-recovered{path.suffix}")
    shell = shutil.which("sqlite3")
    return [
        "what to do (stop `rasd run` first; keep the damaged file until the new one is checked):",
        f"  1. copy what is readable into a new file:  sqlite3 {path} .dump | sed "
        f"'s/^ROLLBACK; -- due to errors$/COMMIT;/' | sqlite3 {new}",
        "     (.dump skips what it cannot read, then ends with ROLLBACK: the sed keeps the rest)"
        + ("" if shell else "\n     (the sqlite3 shell is not installed here: "
                            "apt install sqlite3, or copy the file to a machine that has it)"),
        f"     (rows missing? `sqlite3 {path} .recover | sqlite3 {new}` reads deeper, where "
        "the shell's build has .recover)",
        f"  2. check the copy:  rasd doctor --db {new}",
        f"  3. put it in place:  mv {path} {path}.damaged && mv {new} {path}",
        f"  or rebuild from a recorded crawl:  rasd replay RECORDING --db {new}",
    ]


@click.command()
@db_option
@click.option("--full", is_flag=True,
              help="SQLite's integrity_check (also every index) instead of quick_check")
def doctor(db: str, full: bool) -> None:
    """Check the database file (integrity, schema version) and say how to recover it."""
    if is_url(db):
        _doctor_postgres(db)
        return
    path = Path(db)
    if not path.is_file():
        raise click.ClickException(f"no database at {path} (check --db or RASD_DB)")
    health = check_health(path, full)
    click.echo(f"database: {path}, {health.size_bytes / 1048576:.1f} MiB, journal "
               f"{health.journal_mode or '?'}")
    click.echo(f"schema version: {health.schema_state}")
    check = "integrity_check" if full else "quick_check"
    if health.sound:
        click.echo(f"integrity ({check}): ok")
        return
    click.echo(f"integrity ({check}): DAMAGED")
    for problem in health.problems:
        click.echo(f"  {problem}")
    for line in recovery_steps(path):
        click.echo(line)
    raise click.ClickException(f"{path} is damaged; see above for how to recover it")


def _doctor_postgres(url: str) -> None:
    """A PostgreSQL database: does it answer, its schema version, its tables' rows."""
    health = check_health(url)
    click.echo(f"database: {describe(url)}, {health.size_bytes / 1048576:.1f} MiB")
    if not health.sound:
        raise click.ClickException(health.problems[0])
    click.echo(f"schema version: {health.schema_state}")
    click.echo("connection (SELECT 1): ok")
    for table, count in health.counts.items():
        click.echo(f"  {table}: {count} rows")
