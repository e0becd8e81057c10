"""The watchlist: topics and their terms, compiled into one matcher.

TOML, one `[topics.<slug>]` table per topic with `terms = [...]`. Matching runs on normalized
text, so a term written with hamza or diacritics also finds plainer spellings, and a term may
carry Arabic proclitics (و ف ب ك ل and the article ال) in front of it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from crawler.config import ConfigError, default_file, load_toml, require_table
from pipelines.normalize import normalize

DEFAULT_WATCHLIST = default_file("watchlist.toml")
SNIPPET_RADIUS = 80
_WHITESPACE = r"\s+"
_PROCLITICS = "(?:[وف]?[بكل]?(?:ال|ل)?)"


@dataclass(frozen=True)
class TermMatch:
    """How often one term of one topic occurs in a text, and where first."""

    topic: str
    term: str
    count: int
    position: int
    snippet: str


class Watchlist:
    """All topics compiled into a single alternation regex (one pass over the text)."""

    def __init__(self, topics: dict[str, list[str]]):
        self.topics = topics
        self._owner: dict[str, tuple[str, str]] = {}
        alternatives = []
        for topic, terms in topics.items():
            for term in terms:
                group = f"t{len(self._owner)}"
                self._owner[group] = (topic, term)
                words = [re.escape(w) for w in normalize(term).split()]
                alternatives.append(f"(?P<{group}>{_WHITESPACE.join(words)})")
        self._regex = re.compile(
            rf"(?<!\w){_PROCLITICS}(?:{'|'.join(alternatives)})(?!\w)")

    def match(self, text: str) -> list[TermMatch]:
        """Every (topic, term) found in `text`, with count, first position and a snippet."""
        flat = normalize(text)
        found: dict[tuple[str, str], list[int]] = {}
        for hit in self._regex.finditer(flat):
            key = self._owner[hit.lastgroup or ""]
            found.setdefault(key, []).append(hit.start(hit.lastgroup))
        result = []
        for (topic, term), starts in found.items():
            first = starts[0]
            snippet = flat[max(0, first - SNIPPET_RADIUS): first + SNIPPET_RADIUS]
            result.append(TermMatch(topic, term, len(starts), first, " ".join(snippet.split())))
        return result


def load_watchlist(path: str | Path | None = None) -> Watchlist:
    """Load and validate a watchlist file (the shipped default when `path` is None)."""
    path = Path(path) if path else DEFAULT_WATCHLIST
    table = require_table(load_toml(path), "topics", path)
    topics: dict[str, list[str]] = {}
    for slug, body in table.items():
        where = f"{path}: [topics.{slug}]"
        if not isinstance(body, dict):
            raise ConfigError(f"{where}: must be a table")
        terms = body.get("terms")
        if not isinstance(terms, list) or not terms:
            raise ConfigError(f"{where}: 'terms' must be a non-empty list of strings")
        if not all(isinstance(t, str) and normalize(t).strip() for t in terms):
            raise ConfigError(f"{where}: every term must be a non-empty string")
        topics[slug] = terms
    return Watchlist(topics)
