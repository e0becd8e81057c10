"""The seed site (`seeds/site/`) and the registry that points rasd at a server of it.

`seeds/` is data in a checkout of the repository, next to this package; an installed wheel
does not carry it.
"""
from __future__ import annotations

from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SITE = SEEDS / "site"
# Registry keys for an outlet on loopback: it is yours, so no delay and several requests at once
# (the per-outlet politeness settings; every other setting stays the production one).
LOOPBACK_POLITENESS = {"download_delay": "0", "concurrency": "8"}


def write_registry(path: Path, base_url: str, **extra: str) -> Path:
    """A one-source registry for the seed site served at `base_url` (on loopback, so it says
    `allow_private`); `extra` adds TOML keys (values already written as TOML)."""
    lines = [
        "[sources.fixture]",
        'name = "موقع الاختبار"',
        f'homepage = "{base_url}/"',
        f'feeds = ["{base_url}/rss.xml", "{base_url}/atom.xml"]',
        f'sitemaps = ["{base_url}/news-sitemap.xml"]',
        "allow_private = true",   # it is served on 127.0.0.1
        *(f"{k} = {v}" for k, v in extra.items()),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
