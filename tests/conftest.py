"""Shared fixtures: the repository's seeds, a live fixture site, and running `rasd` for real.

tests/unit runs in-process; tests/e2e starts rasd processes, the daemon or Chromium, and is
marked `e2e` (`pytest -m "not e2e"` for the quick half). The suite runs on every core and in a
new random order each time (pytest-xdist, pytest-randomly: see pyproject's addopts); to debug
one test, `pytest -n 0 -p no:randomly PATH::TEST`; to replay an order, `-p randomly
--randomly-seed=N` with the seed a failing run printed.
"""
from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

from rasd.devsite.server import FixtureServer
from rasd.devsite.site import write_registry  # noqa: F401  (tests import it from here)
from tests.support import rasd_process

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
SITE = SEEDS / "site"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
# Settings that make a crawl of a loopback server fast; politeness stays on in production.
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]


def run_rasd(*args: str, cwd: Path | None = None, env: dict | None = None,
             check: bool = True, stdin: str = "") -> subprocess.CompletedProcess:
    """Run the real CLI in a child process (Scrapy's reactor runs once per process); the
    child is forked with rasd's libraries already imported (tests/support/rasd_process.py)."""
    full_env = {k: v for k, v in os.environ.items() if k != "RASD_DB"}
    full_env.update(PYTHONPATH=str(REPO), **(env or {}))
    result = rasd_process.run(list(args), cwd or REPO, full_env, input=stdin)
    if check and result.returncode != 0:
        raise AssertionError(f"rasd {' '.join(args)} failed ({result.returncode}):\n"
                             f"{result.stdout}\n{result.stderr}")
    return result


def query(db: Path | str, sql: str, *params) -> list[tuple]:
    """Rows of `sql` (`?` placeholders) read on a connection of the test's own, outside the
    store under test: a SQLite file, or a postgresql:// URL."""
    if isinstance(db, str) and db.startswith("postgresql://"):
        import psycopg

        from rasd.store.postgres import to_pyformat

        with psycopg.connect(db, autocommit=True) as conn:
            return [tuple(r) for r in conn.execute(to_pyformat(sql), params).fetchall()]
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/e2e starts rasd processes, the daemon or Chromium: `-m e2e`
    selects those tests, `-m "not e2e"` the in-process ones under tests/unit."""
    e2e = Path(__file__).parent / "e2e"
    for item in items:
        if e2e in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture
def site():
    with FixtureServer(SITE) as server:
        yield server


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "rasd.db"


@pytest.fixture(scope="session")
def postgres_cluster():
    """One throwaway PostgreSQL cluster per test process (tests/support/postgres.py). Skipped,
    saying why, only where the server cannot be installed: `make test` installs it."""
    from tests.support.postgres import PostgresCluster, server_bin

    bin_dir = server_bin()
    if bin_dir is None:
        pytest.skip("PostgreSQL's server is not installed (make test installs Debian's "
                    "postgresql package when it runs as root)")
    cluster = PostgresCluster(bin_dir).start()
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_url(postgres_cluster) -> str:
    """The URL of a new, empty PostgreSQL database for this test."""
    return postgres_cluster.new_database()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_target(request, tmp_path: Path) -> Path | str:
    """A new database on each backend in turn: a SQLite file, then a PostgreSQL database
    (for tests of rasd/store's behaviour, which must be the same on both)."""
    if request.param == "sqlite":
        return tmp_path / "rasd.db"
    return request.getfixturevalue("pg_url")
