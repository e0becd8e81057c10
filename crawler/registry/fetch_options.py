"""Per-outlet fetch options of the registry that serve "nothing fetched twice".

- `url_rewrites`: [regex, replacement] pairs turning the outlet's AMP or mobile URLs into its
  canonical ones (crawler/urls.py).
- `refetch_hours`: an outlet that updates its articles gets a stored article requested again
  when it is listed and its last fetch is older than this; the stored row is then updated
  (default: never).
- `conditional_get`: send If-None-Match / If-Modified-Since for feeds and sitemaps (default
  true; false for a server that answers them wrongly).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crawler.urls import Rewrite, parse_rewrites
from rasd.config import ConfigError

KEYS = ("url_rewrites", "refetch_hours", "conditional_get")


@dataclass(frozen=True)
class FetchOptions:
    rewrites: tuple[Rewrite, ...] = ()
    conditional_get: bool = True
    refetch_hours: float | None = None


def parse_fetch_options(table: dict[str, Any], where: str) -> FetchOptions:
    """Validate the fetch options of one `[sources.<slug>]` table (ConfigError if wrong)."""
    rewrites = parse_rewrites(table.get("url_rewrites", []), where)
    conditional = table.get("conditional_get", True)
    if not isinstance(conditional, bool):
        raise ConfigError(f"{where}: 'conditional_get' must be true or false")
    refetch = table.get("refetch_hours")
    if refetch is not None and (isinstance(refetch, bool) or not isinstance(refetch, int | float)
                                or refetch <= 0):
        raise ConfigError(f"{where}: 'refetch_hours' must be a positive number of hours")
    return FetchOptions(rewrites, conditional, None if refetch is None else float(refetch))
