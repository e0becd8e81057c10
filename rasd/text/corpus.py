"""The real-page corpus (tests/outlets): pages with what a reader sees on them, and a score.

Each page is `<slug>/<name>.html.gz` with `<name>.expected.json` beside it: the headline, the
publication day (and UTC minute where the page states it), three passages of the body and the
furniture that must stay out of it, all written by reading the page; plus `extracted`, what
rasd stored last time (rewritten by benchmarks/regenerate_outlet_expectations.py). The test,
the benchmark and the regeneration script share this module so they judge alike.
"""
from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from rasd.text.article_page import Reading
from rasd.text.extract import extract_page
from rasd.text.page_rules import ExtractionRules, squash


@dataclass(frozen=True)
class Page:
    """One corpus page and its expectations."""

    slug: str
    name: str
    html: bytes
    expected: dict[str, Any]
    path: Path

    @property
    def id(self) -> str:
        return f"{self.slug}/{self.name}"

    @property
    def url(self) -> str:
        return self.expected["url"]

    @property
    def captured(self) -> datetime:
        """No later than the capture: the day the page was first committed where it comes from."""
        return datetime.fromisoformat(self.expected["source"]["committed"])


def load_corpus(root: Path) -> list[Page]:
    """Every page under `root`, in a stable order."""
    pages = []
    for expected_path in sorted(root.glob("*/*.expected.json")):
        name = expected_path.name.removesuffix(".expected.json")
        html = gzip.decompress(expected_path.with_name(f"{name}.html.gz").read_bytes())
        pages.append(Page(expected_path.parent.name, name, html,
                          json.loads(expected_path.read_text(encoding="utf-8")), expected_path))
    return pages


@dataclass
class Score:
    """How one extraction of one page fares against the page's expectations."""

    title_exact: bool
    day_right: bool
    sentences_kept: int
    sentences: int
    furniture_leaked: list[str] = field(default_factory=list)
    time_right: bool | None = None   # None: the page states no time, or it was not judged

    def not_worse_than(self, other: "Score") -> list[str]:
        """What this score loses against `other` (empty when it is at least as good)."""
        losses = []
        if other.title_exact and not self.title_exact:
            losses.append("title")
        if other.day_right and not self.day_right:
            losses.append("day")
        if self.sentences_kept < other.sentences_kept:
            losses.append("sentences")
        if len(self.furniture_leaked) > len(other.furniture_leaked):
            losses.append("furniture")
        return losses


def score(page: Page, title: str | None, day: str | None, text: str | None,
          published_at: str | None = None, judge_time: bool = False) -> Score:
    """Judge an extraction (`day` as YYYY-MM-DD, `published_at` as ISO UTC) against `page`."""
    expected = page.expected
    body = squash(text)
    sentences = [squash(s) for s in expected["sentences"]]
    time_right = None
    if judge_time:
        when = expected["published"]
        if "at" in when:
            time_right = bool(published_at) and _minute(published_at) == when["at"]
        elif when.get("day_only"):
            time_right = published_at is None
    return Score(
        title_exact=squash(title) == squash(expected["title"]),
        day_right=day == expected["published"]["date"],
        sentences_kept=sum(s in body for s in sentences),
        sentences=len(sentences),
        furniture_leaked=[f for f in expected["furniture"] if squash(f) in body],
        time_right=time_right,
    )


def _minute(iso: str) -> str:
    moment = datetime.fromisoformat(iso)
    return moment.strftime("%Y-%m-%dT%H:%M")


def read_corpus_page(page: Page, rules: ExtractionRules) -> Reading | None:
    """The page read exactly as the extract stage reads it, on the day it was captured."""
    return extract_page(page.html, None, page.url, rules, now=page.captured).reading


def snapshot(reading: Reading | None) -> dict[str, Any]:
    """What rasd stored for a page, in the form kept under `extracted` in its expected file."""
    if reading is None:
        return {}
    lines = [line for line in reading.text.splitlines() if line.strip()]
    return {"title": reading.title, "published_date": reading.published.date,
            "published_at": reading.published.at, "first_line": lines[0] if lines else "",
            "last_line": lines[-1] if lines else "", "lines": len(lines),
            "not_article": reading.not_article}
