"""Marking the matched words in a snippet, as plain segments that every renderer escapes.

The terms are found with the watchlist matcher itself (same normalization, proclitics and word
boundaries), from their stored labels, whose `*` (suffix forms) and ` ~N` (proximity) it reads
back, so what is highlighted is exactly what matched: the whole word, the whole phrase. The
result is a list of (text, matched) pairs, never markup, so no renderer can mistake scraped
text for HTML.
"""
from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import urlsplit

from rasd.text.watchlist import Watchlist

Segment = tuple[str, bool]


@lru_cache(maxsize=256)
def _matcher(terms: tuple[str, ...]) -> Watchlist:
    return Watchlist({"highlight": list(terms)})


def highlight(snippet: str, terms: Iterable[str]) -> list[Segment]:
    """Split `snippet` into (text, is_match) segments for the given watchlist terms."""
    wanted = tuple(sorted({t for t in terms if t and t.strip()}))
    if not snippet or not wanted:
        return [(snippet, False)] if snippet else []
    segments: list[Segment] = []
    last = 0
    for start, end in _matcher(wanted).term_spans(snippet):
        if start < last:
            continue
        if start > last:
            segments.append((snippet[last:start], False))
        segments.append((snippet[start:end], True))
        last = end
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
