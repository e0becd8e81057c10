"""A recording and replayed files are input like any other: a manifest sets only the replay's
clock and window, its registry lives inside it, a replay never goes online, and a file that
cannot be an article is skipped and named in one line."""
from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import FAST, SEED_FILES, query, run_rasd, write_registry
from tests.e2e.test_bad_input import assert_one_line_error


@pytest.fixture
def recording(tmp_path, site) -> Path:
    registry = write_registry(tmp_path / "sources.toml", site.base_url)
    path = tmp_path / "recording"
    run_rasd("crawl", "--sources", str(registry), "--db", str(tmp_path / "crawl.db"),
             "--record", str(path), *FAST)
    return path


def edit_manifest(recording: Path, **changes) -> None:
    manifest_path = recording / "rasd-recording.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest.update(changes)
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")


# the second: the cache lets a miss through to the downloader, whose handler refuses it
@pytest.mark.parametrize("extra", [[], ["-s", "HTTPCACHE_IGNORE_MISSING=False"]])
def test_a_replay_whose_cache_misses_pages_sends_nothing_to_the_live_outlet(
        recording, site, db, extra):
    articles = [meta.parent for meta in (recording / "cache").rglob("meta")   # gzip'ed
                if b"/news/" in gzip.decompress(meta.read_bytes())]
    assert len(articles) >= 2
    for folder in articles[:2]:          # two recorded article pages lost
        shutil.rmtree(folder)
    site.requests.clear()

    result = run_rasd("replay", str(recording), "--db", str(db), *extra)
    assert not site.requests, f"the replay went online: {dict(site.requests)}"
    recorded = query(recording.parent / "crawl.db", "SELECT count(*) FROM articles")[0][0]
    stored = query(db, "SELECT count(*) FROM articles")[0][0]
    assert recorded - 2 <= stored < recorded and f"articles: {stored} new" in result.stdout


@pytest.mark.parametrize("settings", [
    {"RASD_NOW": "2026-11-20T12:00:00+00:00", "HTTPCACHE_ENABLED": False},
    {"RASD_SITEMAP_DAYS": 2, "ITEM_PIPELINES": {}},
])
def test_a_manifest_may_set_only_the_replay_settings(recording, site, db, settings):
    edit_manifest(recording, settings=settings)
    site.requests.clear()
    result = run_rasd("replay", str(recording), "--db", str(db), check=False)
    refused = next(k for k in settings if not k.startswith("RASD_"))
    assert_one_line_error(result, "a recording may set only RASD_NOW, RASD_SITEMAP_DAYS",
                          f"not {refused}")
    assert not site.requests and not db.exists()


@pytest.mark.parametrize("where", ["../sources.toml", "/etc/hostname"])
def test_the_recorded_registry_must_be_inside_the_recording(recording, db, where):
    edit_manifest(recording, registry=where)
    result = run_rasd("replay", str(recording), "--db", str(db), check=False)
    assert_one_line_error(result, "the registry must be a file inside the recording")


def test_empty_binary_and_oversized_files_are_skipped_and_named_in_one_line(tmp_path, db):
    folder = tmp_path / "files"
    folder.mkdir()
    shutil.copy(SEED_FILES[0], folder)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "title-only.txt").write_text("عنوان بلا نص\n", encoding="utf-8")
    big = folder / "big.html"
    big.write_bytes(b"<p>" + "نص ".encode() * 6000 + b"</p>")   # over the cap below

    result = run_rasd("replay", str(folder), "--db", str(db), "-s", "DOWNLOAD_MAXSIZE=20000",
                      check=False)
    assert_one_line_error(result, "4 file(s) not replayed", "binary.txt (not UTF-8 text)",
                          "empty.txt (no text after the title line)",
                          "title-only.txt (no text after the title line)",
                          f"big.html ({big.stat().st_size} bytes, over DOWNLOAD_MAXSIZE (20000))")
    assert "articles: 1 new" in result.stdout
    assert query(db, "SELECT url FROM articles") == [((folder / SEED_FILES[0].name).as_uri(),)]
