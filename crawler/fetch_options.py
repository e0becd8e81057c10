"""Per-outlet fetch options of the registry that serve "nothing fetched twice".

- `url_rewrites`: [regex, replacement] pairs turning the outlet's AMP or mobile URLs into its
  canonical ones (crawler/urls.py).
- `conditional_get`: send If-None-Match / If-Modified-Since for feeds and sitemaps (default
  true; false for a server that answers them wrongly).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crawler.config import ConfigError
from crawler.urls import Rewrite, parse_rewrites

KEYS = ("url_rewrites", "conditional_get")


@dataclass(frozen=True)
class FetchOptions:
    rewrites: tuple[Rewrite, ...] = ()
    conditional_get: bool = True


def parse_fetch_options(table: dict[str, Any], where: str) -> FetchOptions:
    """Validate the fetch options of one `[sources.<slug>]` table (ConfigError if wrong)."""
    rewrites = parse_rewrites(table.get("url_rewrites", []), where)
    conditional = table.get("conditional_get", True)
    if not isinstance(conditional, bool):
        raise ConfigError(f"{where}: 'conditional_get' must be true or false")
    return FetchOptions(rewrites, conditional)
