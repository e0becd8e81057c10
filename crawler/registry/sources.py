"""The outlet registry: which sites to crawl, through which feeds and sitemaps.

The registry is TOML, one `[sources.<slug>]` table per outlet. Only http(s) URLs are accepted,
and a source's pages must live on its own origins, so a hostile feed or redirect cannot send
the crawler elsewhere: the scheme, host and port of its homepage, feeds and sitemaps, and the
default http(s) ports of its `allowed_domains` (subdomains included). An origin on a default
port also admits the other scheme on its default port (outlets redirect http to https). An
outlet on a loopback or private address is refused unless its entry says `allow_private`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crawler.registry.extraction_options import KEYS as EXTRACTION_KEYS
from crawler.registry.extraction_options import parse_extraction_rules
from crawler.registry.fetch_options import KEYS as FETCH_OPTION_KEYS
from crawler.registry.fetch_options import FetchOptions, parse_fetch_options
from rasd.config import ConfigError, default_file, load_toml, require_table
from rasd.text.page_rules import ExtractionRules

DEFAULT_SOURCES = default_file("sources.toml")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_KNOWN_KEYS = {
    "name", "homepage", "feeds", "sitemaps", "allowed_domains", "article_pattern",
    "country", "notes", "enabled", "download_delay", "concurrency", "user_agent", "language",
    "allow_private", *FETCH_OPTION_KEYS, *EXTRACTION_KEYS,
}


@dataclass(frozen=True)
class Source:
    """One outlet of the registry."""

    slug: str
    name: str
    homepage: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    allowed_domains: tuple[str, ...] = ()
    article_pattern: re.Pattern[str] | None = None
    enabled: bool = True
    country: str | None = None
    notes: str | None = None
    language: str | None = None        # trusted over detection by the language stage
    user_agent: str | None = None      # for its requests and its hosts' robots.txt
    download_delay: float | None = None   # as written (2 or 1.5): its download slot's delay
    concurrency: int | None = None     # its download slot's concurrency
    fetch_options: FetchOptions = FetchOptions()   # rewrites, refetch, conditional GET
    extraction_rules: ExtractionRules = ExtractionRules()   # zone, founding, selectors
    allow_private: bool = False        # may live on a loopback/private address (tests, intranet)
    ports: tuple[tuple[str, int], ...] = ()   # (host, port) origins off the default ports

    def on_own_origin(self, url: str) -> bool:
        """True when `url` is http(s) on one of this source's origins: one of its domains (or
        a subdomain) on the default port, or exactly a (host, port) its registry URLs name."""
        origin = _origin(url)
        if origin is None:
            return False
        host, port = origin
        if port is None:
            return any(host == d or host.endswith("." + d) for d in self.allowed_domains)
        return (host, port) in self.ports

    def owns(self, url: str) -> bool:
        """True when `url` is an article of this source: own origin, and fits its pattern."""
        if not self.on_own_origin(url):
            return False
        return self.article_pattern is None or bool(self.article_pattern.search(url))


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _host(url: str) -> str | None:
    origin = _origin(url)
    return origin[0] if origin else None


def _origin(url: str) -> tuple[str, int | None] | None:
    """(host, port) of an http(s) URL, port None when it is the scheme's default; None for
    anything else (other schemes, no host, a malformed port)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    try:
        port = parts.port
    except ValueError:
        return None
    return parts.hostname.lower(), None if port in (None, _DEFAULT_PORTS[scheme]) else port


def _url_list(table: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: '{key}' must be a list of URLs")
    for url in value:
        if _host(url) is None:
            raise ConfigError(f"{where}: '{key}' has a URL that is not http(s): {url!r}")
    return tuple(value)


def parse_source(slug: str, table: Any, path: str | Path) -> Source:
    """Validate one `[sources.<slug>]` table."""
    where = f"{path}: [sources.{slug}]"
    if not _SLUG.match(slug):
        raise ConfigError(f"{where}: slug must be lowercase letters, digits, '-' or '_'")
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: must be a table")
    unknown = sorted(set(table) - _KNOWN_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}")
    name = table.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{where}: 'name' is required")
    homepage = table.get("homepage")
    if not isinstance(homepage, str) or _host(homepage) is None:
        raise ConfigError(f"{where}: 'homepage' must be an http(s) URL")
    feeds = _url_list(table, "feeds", where)
    sitemaps = _url_list(table, "sitemaps", where)
    if not feeds and not sitemaps:
        raise ConfigError(f"{where}: needs at least one of 'feeds' or 'sitemaps'")
    domains = table.get("allowed_domains", [])
    if not isinstance(domains, list) or not all(isinstance(d, str) for d in domains):
        raise ConfigError(f"{where}: 'allowed_domains' must be a list of domain names")
    all_domains = {d.lower().lstrip(".") for d in domains}
    origins = {o for o in map(_origin, (homepage, *feeds, *sitemaps)) if o}
    all_domains |= {host for host, port in origins if port is None}
    pattern = table.get("article_pattern")
    compiled = None
    if pattern is not None:
        try:
            compiled = re.compile(pattern)
        except (re.error, TypeError) as exc:
            raise ConfigError(f"{where}: 'article_pattern' is not a valid regex: {exc}") from None
    enabled, allow_private = (table.get(key, default) for key, default
                              in (("enabled", True), ("allow_private", False)))
    for key, value in (("enabled", enabled), ("allow_private", allow_private)):
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: '{key}' must be true or false")
    ports = {(host, port) for host, port in origins if port is not None}
    _check_overrides(table, where)
    return Source(slug, name.strip(), homepage, feeds, sitemaps, tuple(sorted(all_domains)),
                  compiled, enabled, table.get("country"), table.get("notes"),
                  table.get("language"), table.get("user_agent"), table.get("download_delay"),
                  table.get("concurrency"), parse_fetch_options(table, where),
                  parse_extraction_rules(table, where), allow_private, tuple(sorted(ports)))


def _check_overrides(table: dict[str, Any], where: str) -> None:
    """Per-source politeness and language settings must have the right types and ranges."""
    for key in ("user_agent", "language", "country", "notes"):
        if key in table and (not isinstance(table[key], str) or not table[key].strip()):
            raise ConfigError(f"{where}: '{key}' must be a non-empty string")
    delay = table.get("download_delay", 0)
    if isinstance(delay, bool) or not isinstance(delay, (int, float)) or delay < 0:
        raise ConfigError(f"{where}: 'download_delay' must be a number of seconds >= 0")
    concurrency = table.get("concurrency", 1)
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise ConfigError(f"{where}: 'concurrency' must be a whole number >= 1")
    if "language" in table and not re.fullmatch(r"[a-z]{2,3}", table["language"]):
        raise ConfigError(f"{where}: 'language' must be a language code such as 'ar'")


def load_sources(path: str | Path | None = None) -> list[Source]:
    """Load and validate a registry file (the shipped default when `path` is None)."""
    path = Path(path) if path else DEFAULT_SOURCES
    table = require_table(load_toml(path), "sources", path)
    return [parse_source(slug, body, path) for slug, body in table.items()]
