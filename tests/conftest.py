"""Shared fixtures: the repository's seeds, a live fixture site, and running `rasd` for real."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from rasd.devsite.server import FixtureServer
from rasd.devsite.site import write_registry  # noqa: F401  (tests import it from here)

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
SITE = SEEDS / "site"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
# Settings that make a crawl of a loopback server fast; politeness stays on in production.
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]


def run_rasd(*args: str, cwd: Path | None = None, env: dict | None = None,
             check: bool = True) -> subprocess.CompletedProcess:
    """Run the real CLI in a child process (Scrapy's reactor runs once per process)."""
    full_env = {k: v for k, v in os.environ.items() if k != "RASD_DB"}
    full_env.update(PYTHONPATH=str(REPO), **(env or {}))
    result = subprocess.run([sys.executable, "-m", "rasd", *args], cwd=cwd or REPO,
                            env=full_env, capture_output=True, text=True, timeout=300)
    if check and result.returncode != 0:
        raise AssertionError(f"rasd {' '.join(args)} failed ({result.returncode}):\n"
                             f"{result.stdout}\n{result.stderr}")
    return result


def query(db: Path, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


@pytest.fixture
def site():
    with FixtureServer(SITE) as server:
        yield server


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "rasd.db"
