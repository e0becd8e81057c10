"""A missing, damaged or read-only database: every command says so in one line (with what to
do), exits non-zero and changes nothing; `rasd doctor` finds the damage and its recovery path
works.

SQLite only: every fault here is about the file (missing, damaged, read-only, recovered with
the sqlite3 shell); PostgreSQL's faults are in test_store_failures, test_store_atomic_flush
and test_store_connection."""
from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import pytest

from rasd.store.health import check_health
from rasd.store.schema import SCHEMA_VERSION
from tests.conftest import FAST, SEEDS, query, run_rasd, write_registry
from tests.e2e.test_bad_input import assert_one_line_error

PAGE = 4096


def digest_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def seeded(tmp_path) -> Path:
    """A real database: the seeds replayed (closed, so its WAL is folded in)."""
    db = tmp_path / "seeded.db"
    run_rasd("replay", str(SEEDS), "--db", str(db))
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert not Path(f"{db}-wal").exists()
    return db


def overwrite_pages(db: Path, pages: range) -> None:
    with db.open("r+b") as file:
        for page in pages:
            file.seek(page * PAGE)
            file.write(b"\xde\xad garbage " * (PAGE // 12) + b"\0" * (PAGE % 12))


def table_pages(db: Path, table: str) -> range:
    """The pages of `table`'s b-tree (its root and on), to aim the damage at real rows."""
    with closing(sqlite3.connect(db)) as conn:
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                            [table]).fetchone()[0]
    return range(root - 1, root)   # page numbers are 1-based, offsets 0-based


# every command that does not fill a database (replay and crawl create theirs)
USING = [
    ["status"], ["matches"], ["articles"], ["articles", "--dropped"],
    ["digest", "--date", "2026-11-20", "--out", "DIGEST"], ["rematch"], ["prune"], ["doctor"],
]


@pytest.mark.parametrize("args", USING, ids=lambda a: " ".join(a[:2]))
def test_a_mistyped_db_is_one_line_and_creates_nothing(tmp_path, args):
    missing = tmp_path / "rasd-typo.db"
    result = run_rasd(*[a.replace("DIGEST", str(tmp_path / "d.html")) for a in args],
                      "--db", str(missing), check=False)
    assert_one_line_error(result, f"no database at {missing}")
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("args", USING + [["replay", str(SEEDS / "negatives")], ["crawl"]],
                         ids=lambda a: " ".join(a[:2]))
def test_a_damaged_database_is_one_line_naming_rasd_doctor_and_is_left_as_it_was(
        tmp_path, seeded, site, args):
    overwrite_pages(seeded, range(2, 47))   # all but the schema page: no read succeeds
    assert not check_health(seeded).sound
    before = digest_of(seeded)
    if args == ["crawl"]:
        args = ["crawl", "--sources", str(write_registry(tmp_path / "s.toml", site.base_url)),
                *FAST]
    result = run_rasd(*[a.replace("DIGEST", str(tmp_path / "d.html")) for a in args],
                      "--db", str(seeded), check=False)
    if args[0] == "doctor":
        assert result.returncode == 1 and "integrity (quick_check): DAMAGED" in result.stdout
        assert result.stderr.strip().splitlines() == [
            f"Error: {seeded} is damaged; see above for how to recover it"]
    else:
        assert_one_line_error(result, str(seeded), f"rasd doctor --db {seeded}")
    assert digest_of(seeded) == before
    assert not site.requests


def test_doctor_finds_damaged_rows_and_its_recovery_path_gets_the_rest_back(tmp_path, seeded):
    healthy = run_rasd("doctor", "--db", str(seeded))
    assert "integrity (quick_check): ok" in healthy.stdout
    assert f"schema version: {SCHEMA_VERSION} (current)" in healthy.stdout
    kept = query(seeded, "SELECT url, title FROM articles ORDER BY id")
    overwrite_pages(seeded, table_pages(seeded, "dedup_bands"))   # one b-tree, not articles

    result = run_rasd("doctor", "--db", str(seeded), check=False)
    assert result.returncode == 1
    step = next(line for line in result.stdout.splitlines() if "1. copy what is readable" in line)
    command = step.split(":  ", 1)[1]
    recovered = seeded.with_name("seeded-recovered.db")
    assert command == (f"sqlite3 {seeded} .dump | sed 's/^ROLLBACK; -- due to errors$/COMMIT;/'"
                       f" | sqlite3 {recovered}")
    assert shutil.which("sqlite3"), "the recovery path needs the sqlite3 shell (apt sqlite3)"
    subprocess.run(command, shell=True, check=False, capture_output=True)

    assert "integrity (quick_check): ok" in run_rasd("doctor", "--db", str(recovered)).stdout
    run_rasd("status", "--db", str(recovered))   # upgraded from user_version 0, idempotently
    assert query(recovered, "SELECT url, title FROM articles ORDER BY id") == kept
    assert query(recovered, "SELECT count(*) FROM matches")[0][0] > 0


@pytest.fixture
def read_only_db(tmp_path, seeded):
    """The seeded database on a read-only file system (a tmpfs remounted ro), or, where the
    test cannot mount, in a folder and file without write permission (not root)."""
    disk = tmp_path / "ro"
    disk.mkdir()
    try:
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)],
                       check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        db = Path(shutil.copy(seeded, disk))
        db.chmod(0o444)
        disk.chmod(0o555)
        yield db
        disk.chmod(0o755)
        return
    try:
        db = Path(shutil.copy(seeded, disk))
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        yield db
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=True)


def test_a_read_only_database_is_one_line_in_digest_and_crawl(tmp_path, read_only_db, site):
    before = digest_of(read_only_db)
    digest = run_rasd("digest", "--date", "2026-11-20", "--out", str(tmp_path / "d.html"),
                      "--db", str(read_only_db), check=False)
    assert_one_line_error(digest, str(read_only_db), "cannot be written")
    registry = write_registry(tmp_path / "s.toml", site.base_url)
    crawl = run_rasd("crawl", "--sources", str(registry), "--db", str(read_only_db), *FAST,
                     check=False)
    assert_one_line_error(crawl, str(read_only_db), "cannot be written")
    assert not site.requests
    assert digest_of(read_only_db) == before
    # SQLite cannot even read a WAL database without its -shm file: one line there too
    status = run_rasd("status", "--db", str(read_only_db), check=False)
    assert status.stdout or "cannot be written" in status.stderr
    assert "Traceback" not in status.stderr
