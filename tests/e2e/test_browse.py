"""Datasette on the same file: `rasd browse` (a real Datasette process on loopback) answers
`?_search=` from rasd's normalized index with the shipped labels, plain Datasette finds the
index by itself, and without Datasette installed `rasd browse` says how to install it.
SQLite only: Datasette reads SQLite files (`rasd browse` refuses a URL: test_postgres_store)."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import REPO, SEEDS, run_rasd

STARTUP_SECONDS = 60   # a deadline for a slow machine, not a measured wait


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(command: list[str]):
    """Start `command` (a server on 127.0.0.1:port) in its own process group; stop it after."""
    port = free_port()
    process = subprocess.Popen([*command, "--port", str(port)], cwd=REPO,
                               env={**os.environ, "PYTHONPATH": str(REPO)},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               start_new_session=True)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            assert process.poll() is None, process.stdout.read().decode()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def get_json(url: str, path: str, **params: str):
    with urllib.request.urlopen(f"{url}{path}?{urllib.parse.urlencode(params)}",
                                timeout=30) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("browse") / "news.db"   # not rasd.db: the name is adapted
    run_rasd("replay", str(SEEDS), str(SEEDS / "negatives"), "--db", str(db))
    return db


def seed_ids(db: Path) -> set[int]:
    import sqlite3
    with sqlite3.connect(db) as conn:
        return {r[0] for r in conn.execute("SELECT id FROM articles WHERE url NOT LIKE ?",
                                           ["%negatives%"])}


def test_rasd_browse_searches_the_normalized_index_with_rasd_labels(seeds_db):
    with serving([sys.executable, "-m", "rasd", "browse", "--db", str(seeds_db)]) as url:
        found = get_json(url, "/news/articles.json", _search="حفتر", _shape="array",
                         _col="title")
        assert {row["id"] for row in found} == seed_ids(seeds_db)
        # as typed, not as indexed (الشارقه, افريكوم): rasd's plugin reads the query
        fair = get_json(url, "/news/articles.json", _search="«معرض الشارقة»", _shape="array",
                        _col="url")
        bookfair = SEEDS / "negatives" / "culture_bookfair.txt"
        assert [row["url"] for row in fair] == [bookfair.as_uri()]
        def ids(query: str) -> set[int]:
            return {row["id"] for row in get_json(url, "/news/articles.json", _search=query,
                                                  _shape="array", _col="title")}
        assert ids("بحفتر NOT صدام") == ids("حَفتر") - ids("صدام") != set()
        hostile = get_json(url, "/news/articles.json", _search='" ) NEAR(', _shape="array")
        assert hostile == []
        table = get_json(url, "/news/articles.json", _facet="source", _size="1")
        assert {"source", "lang", "story_id"} <= set(table["facet_results"])
        metadata = get_json(url, "/-/metadata.json")
        articles = metadata["databases"]["news"]["tables"]["articles"]
        assert articles["title"] == "Articles" and articles["columns"]["story_id"] == "Story"
        tables = {t["name"]: t for t in get_json(url, "/news.json")["tables"]}
        assert tables["articles_fts"]["hidden"] and tables["dedup_bands"]["hidden"]


def test_plain_datasette_finds_the_index_without_metadata(seeds_db):
    with serving([sys.executable, "-m", "datasette", "serve", str(seeds_db),
                  "--host", "127.0.0.1"]) as url:
        found = get_json(url, "/news/articles.json", _search="حفتر", _shape="array",
                         _col="title")
        assert {row["id"] for row in found} == seed_ids(seeds_db)


def test_rasd_browse_without_datasette_says_how_to_install_it(tmp_path, seeds_db):
    missing = tmp_path / "no_datasette"
    (missing / "datasette").mkdir(parents=True)   # shadows the installed one: not importable
    (missing / "datasette" / "__init__.py").write_text("raise ImportError('absent')\n")
    result = subprocess.run([sys.executable, "-m", "rasd", "browse", "--db", str(seeds_db)],
                            env={**os.environ, "PYTHONPATH": f"{missing}{os.pathsep}{REPO}"},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr == ("Error: Datasette is not installed: pip install 'rasd[browse]' "
                             "(or pip install datasette)\n")
