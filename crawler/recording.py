"""Recording a crawl and replaying it offline, with Scrapy's HTTP cache storage.

`rasd crawl --record DIR` turns on HttpCacheMiddleware with the filesystem storage and the
dummy policy (every response kept, robots.txt and redirects included) under `DIR/cache/`, and
writes `DIR/rasd-recording.json`, a manifest that tells a recording apart from a folder of
.txt/.html files, with a copy of the registry used (`DIR/sources.toml`) and the crawl's
reference time. `rasd replay DIR` re-runs the same crawl from the cache only
(`HTTPCACHE_IGNORE_MISSING`: a request that was not recorded is dropped, never sent), with the
recorded registry and clock, so the same requests are made and the same articles stored.

A recording is input like any other (it may come from someone else): its manifest may set only
the replay settings in REPLAY_SETTINGS, its registry must be a file inside it, and a replay has
no network at all (`crawler.offline`).
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from crawler.offline import OFFLINE_HANDLERS
from crawler.registry.sources import DEFAULT_SOURCES
from rasd.clock import timestamp
from rasd.config import ConfigError

MANIFEST = "rasd-recording.json"
FORMAT = 1
# What a manifest may set: the recorded crawl's clock and sitemap window, nothing else (no
# cache, handler, pipeline or output settings that would turn a replay into something else).
REPLAY_SETTINGS = ("RASD_NOW", "RASD_SITEMAP_DAYS")


def _cache_settings(directory: Path) -> dict[str, Any]:
    return {
        "HTTPCACHE_ENABLED": True,
        "HTTPCACHE_DIR": str((directory / "cache").resolve()),
        "HTTPCACHE_STORAGE": "scrapy.extensions.httpcache.FilesystemCacheStorage",
        "HTTPCACHE_POLICY": "scrapy.extensions.httpcache.DummyPolicy",
        "HTTPCACHE_EXPIRATION_SECS": 0,
        "HTTPCACHE_IGNORE_HTTP_CODES": [],
        "HTTPCACHE_GZIP": True,
    }


def is_recording(path: str | Path) -> bool:
    """True when `path` is a folder written by `rasd crawl --record`."""
    return (Path(path) / MANIFEST).is_file()


def start_recording(directory: str | Path, sources: str | None, now: str | None,
                    sitemap_days: int) -> dict[str, Any]:
    """Prepare DIR for a recorded crawl; return the settings that make the crawl record."""
    directory = Path(directory)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise ConfigError(f"{directory}: --record needs a new or empty folder")
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(sources or DEFAULT_SOURCES, directory / "sources.toml")
    now = now or timestamp()
    manifest = {"format": FORMAT, "recorded_at": now, "registry": "sources.toml",
                "settings": {"RASD_NOW": now, "RASD_SITEMAP_DAYS": sitemap_days}}
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return {**_cache_settings(directory), "RASD_NOW": now}


def replay_settings(directory: str | Path) -> dict[str, Any]:
    """Settings that re-run the crawl recorded in DIR from its cache, with no network."""
    directory = Path(directory)
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        recorded = dict(manifest["settings"])
        registry = directory / manifest["registry"]
        fmt = manifest["format"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{directory / MANIFEST}: not a readable recording manifest: "
                          f"{exc}") from None
    if fmt != FORMAT:
        raise ConfigError(f"{directory / MANIFEST}: recording format {fmt!r} is not supported")
    refused = sorted(set(recorded) - set(REPLAY_SETTINGS))
    if refused:
        raise ConfigError(f"{directory / MANIFEST}: a recording may set only "
                          f"{', '.join(REPLAY_SETTINGS)}, not {', '.join(map(str, refused))}")
    if not registry.resolve().is_relative_to(directory.resolve()):
        raise ConfigError(f"{directory / MANIFEST}: the registry must be a file inside the "
                          f"recording, not {manifest['registry']!r}")
    if not registry.is_file():
        raise ConfigError(f"{registry}: the recorded registry is missing")
    return {**_cache_settings(directory), **recorded,
            "RASD_SOURCES": str(registry.resolve()), "HTTPCACHE_IGNORE_MISSING": True,
            "DOWNLOAD_HANDLERS": OFFLINE_HANDLERS,
            "RASD_RECORDING_REPLAY": True, "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
            "RETRY_ENABLED": False}
