"""The daemon's and the crawl's command lines, run for real: refused while another crawl holds
the lock, bad settings in one line, `scheduler.py` as the same daemon. SQLite only: the crawl
lock is a file beside the database (crawls on PostgreSQL take none)."""
from __future__ import annotations

import subprocess
import sys

import pytest

from rasd.daemon.lock import crawl_lock
from rasd.store.database import open_store
from tests.conftest import FAST, REPO, run_rasd, write_registry


def test_rasd_crawl_is_refused_while_another_crawl_holds_the_lock(tmp_path, site, db):
    registry = write_registry(tmp_path / "sources.toml", site.base_url)
    with crawl_lock(db):
        result = run_rasd("crawl", "--sources", str(registry), "--db", str(db), *FAST,
                          check=False)
    assert result.returncode == 75
    assert result.stderr.startswith("Error: another crawl of this database is running (pid ")
    assert result.stderr.strip().endswith("not crawling")
    assert len(result.stderr.strip().splitlines()) == 1
    assert not site.requests, "a refused crawl must not fetch anything"
    assert open_store(db).db["crawl_runs"].count == 0


@pytest.mark.parametrize("args, message", [
    (["--every", "0s"], "Error: Invalid value for '--every': '0s' is not a duration"),
    (["--tz", "Mars/Olympus"], "Error: Invalid value for --tz: unknown time zone"),
    (["--sources", "missing.toml"], "Error: missing.toml: file not found"),
])
def test_rasd_run_rejects_bad_settings_in_one_line(tmp_path, db, args, message):
    result = run_rasd("run", "--db", str(db), *args, cwd=tmp_path, check=False)
    assert result.returncode in (1, 2)
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not db.exists() or open_store(db).db["crawl_runs"].count == 0


def test_scheduler_py_is_the_same_daemon():
    result = subprocess.run([sys.executable, "scheduler.py", "--help"], cwd=REPO,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert "Usage: scheduler.py [OPTIONS]" in result.stdout and "--every" in result.stdout


@pytest.mark.parametrize("command", ["crawl", "run"])
def test_a_database_in_a_missing_folder_is_one_line_error_and_no_lock_file(tmp_path, command):
    missing = tmp_path / "no-such-folder" / "rasd.db"
    result = run_rasd(command, "--db", str(missing), cwd=tmp_path, check=False)
    assert result.returncode == 1
    assert result.stderr == f"Error: {missing}: cannot open database: unable to open database " \
                            "file: it cannot be opened: check the path and its folder's " \
                            "permissions\n"
    assert not missing.parent.exists()
