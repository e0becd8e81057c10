"""Marking the matched words in a snippet, as plain segments that every renderer escapes.

Snippets are stored in normalized form (see pipelines/normalize.py), so the terms are
normalized the same way and allowed the same proclitics as in matching; the result is a list of
(text, matched) pairs, never markup, so no renderer can mistake scraped text for HTML.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from pipelines.normalize import normalize
from pipelines.watchlist import _PROCLITICS  # the same clitics as matching, by design

Segment = tuple[str, bool]


def highlight(snippet: str, terms: Iterable[str]) -> list[Segment]:
    """Split `snippet` into (text, is_match) segments for the given watchlist terms."""
    words = [r"\s+".join(re.escape(w) for w in normalize(t).split()) for t in terms]
    words = sorted((w for w in words if w), key=len, reverse=True)
    if not snippet or not words:
        return [(snippet, False)] if snippet else []
    regex = re.compile(rf"(?<!\w){_PROCLITICS}(?:{'|'.join(words)})(?!\w)")
    segments: list[Segment] = []
    last = 0
    for hit in regex.finditer(snippet):
        if hit.start() > last:
            segments.append((snippet[last:hit.start()], False))
        segments.append((hit.group(), True))
        last = hit.end()
    if last < len(snippet):
        segments.append((snippet[last:], False))
    return segments


def safe_url(url: str | None) -> str | None:
    """The URL if it is http(s), else None: a `javascript:` or `data:` URL is never a link."""
    if not url:
        return None
    url = url.strip()
    if any(ord(c) < 0x21 for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None
