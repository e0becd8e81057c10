"""Scraped text made safe to keep and to show: no bidi controls, no control characters, and
titles of a bounded length.

A page controls its title and text. U+202E (RIGHT-TO-LEFT OVERRIDE) and the other embedding,
override and isolate controls reorder whatever follows them on an analyst's screen (a title
can display as something it does not say, or swallow the digest's own text); NUL and the other
C0 controls break terminals and XML. Arabic needs none of them: the letters carry their own
direction, and the digest sets `dir` itself. The implicit marks (LRM, RLM, ALM) only nudge
neutral characters and are kept.
"""
from __future__ import annotations

import re

# LRE RLE PDF LRO RLO, LRI RLI FSI PDI
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_UNSAFE = re.compile(f"[{BIDI_CONTROLS}\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A title longer than this is a page's junk or an attack (a feed title of megabytes); a lead
# paragraph used as a title (the seeds' .txt files: up to 522 characters) still fits whole.
TITLE_MAX_CHARS = 1000


def strip_controls(text: str | None) -> str:
    """`text` without bidi embedding/override/isolate controls and C0 controls (tabs and
    newlines stay)."""
    return _UNSAFE.sub("", text or "")


def clean_title(text: str | None, limit: int = TITLE_MAX_CHARS) -> str:
    """A title as stored: controls removed, whitespace folded, at most `limit` characters
    (cut at a word when there is one in the last fifth)."""
    title = " ".join(strip_controls(text).split())
    if len(title) <= limit:
        return title
    cut = title[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit * 4 // 5 else cut).rstrip() + "…"
