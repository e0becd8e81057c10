"""The watchlist: topics and their terms, compiled into one Aho-Corasick automaton.

TOML, one `[topics.<slug>]` table per topic:

    [topics.sirte]
    terms = ["سرت", "Sirte", { term = "سرتي", exact = true }]
    exclude = ["سرت الهدنة"]          # hits explained only by these phrases do not count
    requires = [["ليبيا", "Libya"]]   # each group needs a hit of its own in the same text

Matching runs on normalized text (`pipelines/normalize.py`) with whitespace folded, so that
a multi-word term matches across line breaks. A term matches a whole word, which may carry
Arabic proclitics: و ف, then ب ك ل, then the article ال, with ل + ال written لل (so الدبيبة
also matches للدبيبة). Quotes and tatweel between a proclitic and the word separate it, so
لـ«أفريكوم» is a hit. `exact = true` allows no proclitic. The automaton finds every
occurrence of every term in one pass, whatever the number of terms; each candidate is then
checked for word boundaries and proclitics, so سرت never matches inside أسرته.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ahocorasick

from rasd.config import ConfigError, default_file, load_toml, require_table
from rasd.text.normalize import Normalized, normalize_with_offsets

DEFAULT_WATCHLIST = default_file("watchlist.toml")
SNIPPET_RADIUS = 80
_CLITICS = re.compile("[وف]?(?:[بك]?ال|لل|[بكل])?")
_ARTICLE_CLITICS = re.compile("[وف]?(?:[بكل]?ال|لل)")
_ARTICLE = "ال"
_LONGEST_CLITICS = 4   # وبال
_QUOTES = "\"'«»“”„‟‘’‚‛‹›`"
_PUNCT_RUN = re.compile(r"\s*([^\w\s]+)\s*")
_UNSAFE = re.compile("[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]")
_TOPIC_KEYS = {"terms", "exclude", "requires", "description"}
_TERM_KEYS = {"term", "exact"}

_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")

EXACT, BARE, ARTICLE, LATIN = "exact", "bare", "article", "latin"


@dataclass(frozen=True)
class Term:
    """One watchlist phrase; `exact` forbids proclitics (the word must stand alone)."""

    text: str
    exact: bool = False


@dataclass(frozen=True)
class Topic:
    """Terms to report, phrases that explain hits away, and groups that must co-occur."""

    slug: str
    terms: tuple[Term, ...]
    exclude: tuple[Term, ...] = ()
    requires: tuple[tuple[Term, ...], ...] = ()


@dataclass(frozen=True)
class TermMatch:
    """How often one term of one topic occurs in a text, and where first.

    `position` is the offset of the first hit in the original text, `form` the original
    characters of that hit (with its proclitics), `snippet` about ±80 original characters
    around it, whitespace folded and control characters removed.
    """

    topic: str
    term: str
    count: int
    position: int
    snippet: str
    form: str = ""


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _term_key(text: str) -> str:
    return " ".join(normalize_with_offsets(text, fold_whitespace=True).text.split())


def _key_variants(key: str) -> set[str]:
    """`5+5` also as `5 + 5`: outlets space punctuation inside names differently."""
    tight = _PUNCT_RUN.sub(r"\1", key)
    return {key, tight, _PUNCT_RUN.sub(r" \1 ", tight).strip()}


def _entry_kind(term: Term, key: str) -> tuple[str, str]:
    """How a key's start is checked, and the part of it the automaton looks for."""
    if term.exact:
        return EXACT, key
    if not _ARABIC.search(key):
        return LATIN, key   # its word boundaries are Latin ones: قائدAFRICOM is a hit
    first = key.split(" ")[0]
    if first.startswith(_ARTICLE) and len(first) >= 5:
        return ARTICLE, key[len(_ARTICLE):]
    return BARE, key


class Watchlist:
    """All topics compiled into a single automaton (one pass over the text)."""

    def __init__(self, topics: Mapping[str, Topic | Sequence[str | Term]]):
        self.specs: dict[str, Topic] = {
            slug: spec if isinstance(spec, Topic)
            else Topic(slug, tuple(t if isinstance(t, Term) else Term(t) for t in spec))
            for slug, spec in topics.items()}
        self.topics: dict[str, list[str]] = {
            slug: [t.text for t in spec.terms] for slug, spec in self.specs.items()}
        self._automaton = ahocorasick.Automaton()
        # (topic, role, term) -> a small number, which the automaton's values refer to
        self._owners: dict[tuple[str, str, Term], int] = {}
        keys: dict[str, list[tuple[int, str]]] = {}   # key -> (owner, how its start is checked)
        for spec in self.specs.values():
            roles = [("term", spec.terms), ("exclude", spec.exclude)]
            roles += [(f"require:{n}", group) for n, group in enumerate(spec.requires)]
            for role, terms in roles:
                for term in terms:
                    owner = self._owners.setdefault((spec.slug, role, term), len(self._owners))
                    kind, core = _entry_kind(term, _term_key(term.text))
                    for variant in _key_variants(core):
                        keys.setdefault(variant, []).append((owner, kind))
        for key, owners in keys.items():
            latin = not _ARABIC.search(key)
            self._automaton.add_word(key, (len(key), latin, tuple(owners)))
        self._automaton.make_automaton()

    def match(self, text: str) -> list[TermMatch]:
        """Every (topic, term) found in `text`, with count, first position and a snippet."""
        normalized = normalize_with_offsets(text, fold_whitespace=True)
        hits = self._hits(normalized.text)
        return [m for spec in self.specs.values() for m in self._topic_matches(
            spec, hits, normalized)]

    def match_article(self, title: str | None, text: str | None) -> list[TermMatch]:
        """The hits of an article; positions are offsets in `title + "\n" + text`.

        Shared by the crawl's keywords stage and `rasd rematch`, so both record exactly the
        same rows.
        """
        return self.match(f"{title or ''}\n{text or ''}")

    def term_spans(self, text: str) -> list[tuple[int, int]]:
        """Original-text spans of every term hit, in order (for highlighting)."""
        normalized = normalize_with_offsets(text, fold_whitespace=True)
        hits = self._hits(normalized.text)
        terms = {owner for (_, role, _), owner in self._owners.items() if role == "term"}
        spans = {span for owner in terms for span in hits.get(owner, ())}
        return [normalized.original_span(*span) for span in sorted(spans)]

    def _hits(self, flat: str) -> dict[int, set[tuple[int, int]]]:
        """Normalized-text spans of every automaton hit that is a whole word, by owner."""
        hits: dict[int, set[tuple[int, int]]] = {}
        size = len(flat)
        for last, (length, latin, owners) in self._automaton.iter(flat):
            end = last + 1
            if end < size and (flat[end].isalnum() or flat[end] == "_") \
                    and not (latin and _ARABIC.match(flat[end])):
                continue
            for owner, kind in owners:
                begin = _token_start(flat, end - length, kind)
                if begin is not None:
                    hits.setdefault(owner, set()).add((begin, end))
        return hits

    def _topic_matches(self, spec: Topic, hits, normalized: Normalized) -> list[TermMatch]:
        def spans(role: str, terms: Iterable[Term]) -> dict[Term, list[tuple[int, int]]]:
            return {t: sorted(hits.get(self._owners[spec.slug, role, t], ())) for t in terms}

        for n, group in enumerate(spec.requires):
            if not any(spans(f"require:{n}", group).values()):
                return []
        excluded = [s for found in spans("exclude", spec.exclude).values() for s in found]
        result = []
        for term, found in spans("term", spec.terms).items():
            kept = [(b, e) for b, e in found
                    if not any(xb <= b and e <= xe for xb, xe in excluded)]
            if kept:
                result.append(_term_match(spec.slug, term, kept, normalized))
        return result


def _token_start(flat: str, start: int, kind: str) -> int | None:
    """Where the word holding a candidate starts, or None when the candidate is no word.

    The letters glued before the candidate must be a valid proclitic sequence for its kind.
    """
    if kind == LATIN:
        if start and _is_word(flat[start - 1]) and not _ARABIC.match(flat[start - 1]):
            return None
        begin = _token_start(flat, start, BARE)   # a glued Arabic proclitic joins the form
        return start if begin is None else begin
    begin = start
    while begin > 0 and _is_word(flat[begin - 1]):
        begin -= 1
        if start - begin > _LONGEST_CLITICS:
            return None   # inside a longer word: no proclitic sequence is this long
    glued = flat[begin:start]
    if kind == EXACT:
        return begin if not glued else None
    if kind == ARTICLE:
        return begin if _ARTICLE_CLITICS.fullmatch(glued) else None
    if glued:
        return begin if _CLITICS.fullmatch(glued) else None
    # لـ«أفريكوم»: a proclitic before quotes belongs to the hit's visible form.
    quoted = begin
    while quoted > 0 and flat[quoted - 1] in _QUOTES:
        quoted -= 1
    clitic = quoted
    while clitic > 0 and _is_word(flat[clitic - 1]):
        clitic -= 1
    if quoted < begin and clitic < quoted and _CLITICS.fullmatch(flat[clitic:quoted]):
        return clitic
    return begin


def _term_match(topic: str, term: Term, spans: list[tuple[int, int]],
                normalized: Normalized) -> TermMatch:
    start, end = normalized.original_span(*spans[0])
    original = normalized.original
    return TermMatch(topic, term.text, len(spans), start, snippet(original, start, end),
                     _clean(original[start:end]))


def _clean(text: str) -> str:
    """Untrusted text made safe to show: no control or bidi-override characters, one line."""
    return " ".join(_UNSAFE.sub(" ", text).split())


def snippet(text: str, start: int, end: int, radius: int = SNIPPET_RADIUS) -> str:
    """About `radius` original characters each side of [start, end), cut at whole words."""
    left, right = max(0, start - radius), min(len(text), end + radius)
    head, body, tail = text[left:start], text[start:end], text[end:right]
    if left > 0 and len(head.split()) > 1:   # drop the cut word, mark the cut
        head = "… " + head.split(None, 1)[1]
    if right < len(text) and len(tail.split()) > 1:
        tail = tail.rsplit(None, 1)[0] + " …"
    return _clean(head + body + tail).replace("… ", "…").replace(" …", "…")


# ---- loading and validating the TOML file -------------------------------------------------

def _parse_term(value: Any, where: str, what: str) -> Term:
    if isinstance(value, dict):
        unknown = sorted(set(value) - _TERM_KEYS)
        if unknown:
            raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)} in a {what} "
                              f"(allowed: {', '.join(sorted(_TERM_KEYS))})")
        if not isinstance(value.get("exact", False), bool):
            raise ConfigError(f"{where}: 'exact' must be true or false ({value!r})")
        term = Term(value.get("term"), value.get("exact", False))
    else:
        term = Term(value)
    if not isinstance(term.text, str) or not any(_is_word(c) for c in _term_key(term.text)):
        raise ConfigError(f"{where}: every {what} must be a non-empty string with a letter "
                          f"or digit, or a table {{ term = \"…\", exact = true }}; "
                          f"got {term.text!r}")
    return term


def _parse_terms(body: dict, key: str, where: str, what: str, required: bool
                 ) -> tuple[Term, ...]:
    values = body.get(key, [])
    if not isinstance(values, list) or (required and not values):
        size = "a non-empty" if required else "a"
        raise ConfigError(f"{where}: '{key}' must be {size} list of strings or term tables")
    terms = tuple(_parse_term(v, where, what) for v in values)
    seen: set[str] = set()
    for term in terms:
        key_text = _term_key(term.text)
        if key_text in seen:
            raise ConfigError(f"{where}: {what} {term.text!r} is listed twice "
                              f"(after normalization)")
        seen.add(key_text)
    return terms


def _parse_requires(body: dict, where: str) -> tuple[tuple[Term, ...], ...]:
    value = body.get("requires", [])
    if not isinstance(value, list):
        raise ConfigError(f"{where}: 'requires' must be a list of terms or of lists of terms")
    if not value:
        return ()
    several = all(isinstance(group, list) for group in value)
    groups = value if several else [value]   # a flat list is one group
    parsed = []
    for group in groups:
        if not isinstance(group, list) or not group:
            raise ConfigError(f"{where}: 'requires' must be a list of terms or a list of "
                              f"non-empty lists of terms")
        parsed.append(_parse_terms({"g": group}, "g", where, "required term", True))
    return tuple(parsed)


def parse_topic(slug: str, body: Any, where: str) -> Topic:
    """One `[topics.<slug>]` table, validated; errors name the topic and the problem."""
    if not isinstance(body, dict):
        raise ConfigError(f"{where}: must be a table")
    unknown = sorted(set(body) - _TOPIC_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)} "
                          f"(allowed: {', '.join(sorted(_TOPIC_KEYS))})")
    if not isinstance(body.get("description", ""), str):
        raise ConfigError(f"{where}: 'description' must be a string")
    terms = _parse_terms(body, "terms", where, "term", required=True)
    exclude = _parse_terms(body, "exclude", where, "excluded phrase", required=False)
    overlap = {_term_key(t.text) for t in terms} & {_term_key(t.text) for t in exclude}
    if overlap:
        raise ConfigError(f"{where}: {min(overlap)!r} is both a term and excluded")
    return Topic(slug, terms, exclude, _parse_requires(body, where))


def load_watchlist(path: str | Path | None = None) -> Watchlist:
    """Load and validate a watchlist file (the shipped default when `path` is None)."""
    path = Path(path) if path else DEFAULT_WATCHLIST
    table = require_table(load_toml(path), "topics", path)
    return Watchlist({slug: parse_topic(slug, body, f"{path}: [topics.{slug}]")
                      for slug, body in table.items()})
