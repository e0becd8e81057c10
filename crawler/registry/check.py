"""Offline validation of an outlet registry: every problem at once, one line each.

`load_sources` stops at the first problem (a crawl must not start on a broken registry); this
module reports them all, plus what only matters across sources or to a human editing the file:
duplicate slugs (TOML itself refuses them with a terse message), the same feed listed twice,
malformed URLs and domain names.
"""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

from crawler.registry.sources import DEFAULT_SOURCES, Source, parse_source
from rasd.config import ConfigError, load_toml, require_table

_TABLE_HEADER = re.compile(r'^[ \t]*\[[ \t]*sources[ \t]*\.[ \t]*"?([^\]"]+)"?[ \t]*\]',
                           re.MULTILINE)
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def _valid_host(host: str) -> bool:
    labels = host.split(".")
    return len(labels) >= 2 and all(_LABEL.match(label) for label in labels) \
        or re.fullmatch(r"\d{1,3}(\.\d{1,3}){3}", host) is not None


def _duplicate_slugs(text: str) -> list[str]:
    lines: dict[str, list[int]] = defaultdict(list)
    for found in _TABLE_HEADER.finditer(text):
        lines[found.group(1).strip()].append(text.count("\n", 0, found.start()) + 1)
    return [f"duplicate slug '{slug}' (lines {', '.join(map(str, at))})"
            for slug, at in lines.items() if len(at) > 1]


def _url_problems(source: Source) -> list[str]:
    problems = []
    for url in (source.homepage, *source.feeds, *source.sitemaps):
        parts = urlsplit(url)
        if any(ch.isspace() for ch in url):
            problems.append(f"[sources.{source.slug}]: URL contains white space: {url!r}")
            continue
        try:
            _ = parts.port   # urlsplit checks the port only when asked
        except ValueError:
            problems.append(f"[sources.{source.slug}]: URL has a bad port: {url!r}")
            continue
        if not _valid_host(parts.hostname or ""):
            problems.append(f"[sources.{source.slug}]: URL host is not a domain name: {url!r}")
    for domain in source.allowed_domains:
        if not _valid_host(domain):
            problems.append(f"[sources.{source.slug}]: allowed domain {domain!r} is not a bare "
                            "domain name (no scheme, path or port)")
    return problems


def check_registry(path: str | Path | None = None) -> tuple[list[Source], list[str]]:
    """(the sources that are valid, every problem found) for a registry file."""
    path = Path(path) if path else DEFAULT_SOURCES
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [f"{path}: cannot read: {exc}"]
    duplicates = _duplicate_slugs(text)
    if duplicates:
        return [], [f"{path}: {problem}" for problem in duplicates]
    try:
        table = require_table(load_toml(path), "sources", path)
    except ConfigError as exc:
        return [], [str(exc)]
    sources, problems = [], []
    for slug, body in table.items():
        try:
            sources.append(parse_source(slug, body, path))
        except ConfigError as exc:
            problems.append(str(exc))
    listed: dict[str, str] = {}
    for source in sources:
        problems += [f"{path}: {p}" for p in _url_problems(source)]
        for url in (*source.feeds, *source.sitemaps):
            if url in listed:
                problems.append(f"{path}: [sources.{source.slug}]: {url} is already listed by "
                                f"[sources.{listed[url]}]")
            listed.setdefault(url, source.slug)
    return sources, problems
