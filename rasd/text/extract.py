"""Extraction: a raw article page -> what rasd stores of it.

The one extraction rasd does: the extract stage stores it, `sources check --online` judges
outlets by it, and the real-page corpus (rasd/text/corpus.py) scores it. The page's bytes
decide its encoding (rasd/text/encoding.py); the reading itself (headline, body, date, verdict)
is rasd/text/article_page.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rasd.text.article_page import Reading, read_page
from rasd.text.encoding import decode_html
from rasd.text.page_rules import ExtractionRules


@dataclass(frozen=True)
class Extraction:
    """One page as rasd reads it, and how its bytes were decoded."""

    reading: Reading | None       # None when nothing extracts
    encoding: str

    @property
    def text(self) -> str:
        """The article's text ("" when nothing extracts)."""
        return self.reading.text.strip() if self.reading else ""


def extract_page(body: bytes, content_type: str | None, url: str,
                 rules: ExtractionRules = ExtractionRules(), *,
                 feed_title: str | None = None, feed_date: str | None = None,
                 now: datetime | None = None) -> Extraction:
    """Decode a raw page and read its article with the outlet's `rules`; `now` (default: the
    clock's) bounds credible dates."""
    html, encoding = decode_html(body, content_type)
    return Extraction(read_page(html, url, rules, feed_title=feed_title, feed_date=feed_date,
                                now=now), encoding)
