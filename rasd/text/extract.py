"""Extraction: a raw article page -> its clean text and metadata, with trafilatura.

Reader comments, navigation and related-article boxes are left out. The one extraction rasd
does: the extract stage stores it, `sources check --online` judges outlets by it.
"""
from __future__ import annotations

from dataclasses import dataclass

import trafilatura

from rasd.clock import to_utc_iso
from rasd.text.encoding import decode_html

# Ask htmldate for the original publication time, not only the day.
_DATE_PARAMS = {"original_date": True, "extensive_search": True,
                "outputformat": "%Y-%m-%dT%H:%M:%S%z"}


@dataclass(frozen=True)
class Extraction:
    """What trafilatura finds in one page."""

    text: str                     # "" when nothing extracts
    title: str | None
    published_at: str | None      # ISO 8601 UTC (a bare date stays a date)
    author: str | None
    site_name: str | None
    encoding: str                 # how the page's bytes were decoded


def extract_page(body: bytes, content_type: str | None, url: str) -> Extraction:
    """Decode a raw page (its bytes decide the encoding) and extract its article."""
    html, encoding = decode_html(body, content_type)
    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=True,
        favor_precision=True, deduplicate=False, date_extraction_params=_DATE_PARAMS)
    if doc is None:
        return Extraction("", None, None, None, None, encoding)
    return Extraction((doc.text or "").strip(), doc.title, to_utc_iso(doc.date), doc.author,
                      doc.sitename, encoding)


def drop_leading_title(text: str, title: str) -> str:
    """trafilatura keeps the page's <h1> as the first line; the title is stored apart."""
    first, _, rest = text.partition("\n")
    return rest.lstrip() if title and first.strip() == title.strip() else text
