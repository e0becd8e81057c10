"""The watchlist: topics and their terms, compiled into one Aho-Corasick automaton.

TOML, one `[topics.<slug>]` table per topic (the full syntax is in docs/watchlist.md):

    [topics.sirte]
    terms = ["سرت", "Sirte", { term = "سرتي", exact = true }]
    exclude = ["سرت الهدنة"]          # hits explained only by these phrases do not count
    requires = [["ليبيا", "Libya"]]   # each group needs a hit of its own in the same text

    [topics.drones]
    terms = ["مسيرة*", { term = "القيادة الأمريكية في أفريقيا", near = 1 }]

Matching runs on normalized text (`rasd/text/normalize.py`) with whitespace folded, so that
a multi-word term matches across line breaks. A term matches a whole word, which may carry
Arabic proclitics: و ف, then ب ك ل, then the article ال, with ل + ال written لل (so الدبيبة
also matches للدبيبة). Quotes and tatweel between a proclitic and the word separate it, so
لـ«أفريكوم» is a hit. `exact = true` allows no proclitic. Compound names match joined or
apart (عبد السلام, عبدالسلام; see `rasd/text/wordforms.py`); `near = N` lets up to N other
words stand between a term's words; `forms = "inflect"` (or a trailing `*`) adds the light
suffixes of `wordforms` (مسيرة: المسيرات, بمسيرتين).

The automaton finds every occurrence of every term's first word (or whole phrase) in one
pass, whatever the number of terms; each candidate is then checked for word boundaries,
proclitics and endings, and, for a proximity or inflected phrase, the following words are
read from there. So سرت never matches inside أسرته, and مطار* never matches مطاردة.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import product
from pathlib import Path
from typing import Any

import ahocorasick

from rasd.config import ConfigError, default_file, load_toml, require_table
from rasd.text.normalize import Normalized, normalize_with_offsets
from rasd.text.wordforms import TEH_MARBUTA, inflection, spellings, units

DEFAULT_WATCHLIST = default_file("watchlist.toml")
SNIPPET_RADIUS = 80
MAX_NEAR = 5                # words between a proximity term's words, in all
MAX_JOINED_WORDS = 8        # `joined = true` spells 2**(words - 1) ways
PROCLITICS = re.compile("[وف]?(?:[بك]?ال|لل|[بكل])?")
_ARTICLE_CLITICS = re.compile("[وف]?(?:[بكل]?ال|لل)")
_ARTICLE = "ال"
_LONGEST_CLITICS = 4   # وبال
_QUOTES = "\"'«»“”„‟‘’‚‛‹›`"
_PUNCT_RUN = re.compile(r"\s*([^\w\s]+)\s*")
_UNSAFE = re.compile("[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]")
_TOPIC_KEYS = {"terms", "exclude", "requires", "description", "near", "forms", "joined",
               "alert"}
_TERM_KEYS = {"term", "exact", "near", "forms", "joined"}
_FORMS = {"plain": False, "inflect": True}
# A term written as text: `مسيرة*` has suffix forms, `القيادة في أفريقيا ~2` is a proximity.
_SYNTAX = re.compile(r"(?P<text>.*?)(?P<star>\*)?(?:\s*~(?P<near>\d+))?\s*", re.DOTALL)

_ARABIC_RANGES = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
_ARABIC = re.compile(f"[{_ARABIC_RANGES}]")
_WORD_RUN = re.compile(r"\w*")
_LATIN_WORD_RUN = re.compile(f"[^\\W{_ARABIC_RANGES}]*")   # قائدAFRICOM: Arabic ends it

EXACT, BARE, ARTICLE, LATIN = "exact", "bare", "article", "latin"


@dataclass(frozen=True)
class Term:
    """One watchlist phrase and the ways it may be written.

    `exact` forbids proclitics (the word must stand alone); `near` lets up to that many other
    words stand between the phrase's words, in all; `inflect` adds the light suffixes of
    `wordforms.inflection`; `joined` None joins and splits compound names (عبد السلام,
    عبدالسلام), True makes every space of the phrase optional, False keeps it as written.
    """

    text: str
    exact: bool = False
    near: int = 0
    inflect: bool = False
    joined: bool | None = None

    @property
    def label(self) -> str:
        """The term as stored and shown (`matches.term`): the text, `*` for suffix forms,
        ` ~N` for a proximity. `term_from_text` reads it back, so the digest highlights
        stored terms the way they matched."""
        return f"{self.text}{'*' if self.inflect else ''}{f' ~{self.near}' if self.near else ''}"


def term_from_text(written: str) -> Term:
    """A term written as text, with its trailing `*` and ` ~N` read as options."""
    found = _SYNTAX.fullmatch(written)
    return Term(found["text"], near=int(found["near"] or 0), inflect=bool(found["star"]))


@dataclass(frozen=True)
class Topic:
    """Terms to report, phrases that explain hits away, and groups that must co-occur."""

    slug: str
    terms: tuple[Term, ...]
    exclude: tuple[Term, ...] = ()
    requires: tuple[tuple[Term, ...], ...] = ()
    description: str = ""         # shown to readers (the digest), the slug when empty
    alert: bool = False           # announce new stories at the end of each crawl


@dataclass(frozen=True)
class TermMatch:
    """How often one term of one topic occurs in a text, and where first.

    `term` is the term's label. `position` is the offset of the first hit in the original
    text, `form` the original characters of that hit (with its proclitics and endings),
    `snippet` about ±80 original characters around it, whitespace folded and control
    characters removed.
    """

    topic: str
    term: str
    count: int
    position: int
    snippet: str
    form: str = ""


# One spelling of a unit of a term: its text, the endings allowed after it (None: the word
# ends there), and whether it is Latin (then only Latin letters and digits extend it).
_Form = tuple[str, frozenset[str] | None, bool]


@dataclass(frozen=True)
class _Tail:
    """The units of a phrase after its first, read where the automaton found the first.

    Used for proximity and inflected phrases, so that the automaton only holds first units
    and the whole watchlist stays one pass; `near` words may be skipped in all.
    """

    units: tuple[tuple[_Form, ...], ...]
    near: int

    def end(self, flat: str, pos: int) -> int | None:
        """Where the phrase ends when its first unit ends at `pos`, or None if it is not here.

        Only whole words separated by single spaces are read: punctuation ends a phrase.
        """
        skipped = 0
        for forms in self.units:
            while True:
                if not flat.startswith(" ", pos):
                    return None
                pos += 1
                stop = _form_end(flat, pos, forms)
                if stop is not None:
                    pos = stop
                    break
                word_end = _word_end(flat, pos)
                if word_end == pos or skipped == self.near:
                    return None
                skipped += 1
                pos = word_end
        return pos


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _word_end(flat: str, pos: int, latin: bool = False) -> int:
    return (_LATIN_WORD_RUN if latin else _WORD_RUN).match(flat, pos).end()


def _form_end(flat: str, pos: int, forms: tuple[_Form, ...]) -> int | None:
    """The end of the first of `forms` written at `pos` as a whole word, with its ending."""
    for text, endings, latin in forms:
        if flat.startswith(text, pos):
            stop = pos + len(text)
            word_end = _word_end(flat, stop, latin)
            if word_end == stop and endings is None or \
                    endings is not None and flat[stop:word_end] in endings:
                return word_end
    return None


def _term_key(text: str, keep_teh_marbuta: bool = False) -> str:
    """A term's normalized text; a word-final ة stays ة when inflection needs to see it."""
    normalized = normalize_with_offsets(text, fold_whitespace=True)
    flat = normalized.text
    if keep_teh_marbuta:
        flat = "".join(
            TEH_MARBUTA if char == "ه" and text[normalized.original_offset(i)] == TEH_MARBUTA
            and not _is_word(flat[i + 1:i + 2] or " ") else char
            for i, char in enumerate(flat))
    return " ".join(flat.split())


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


def _unit_forms(term: Term) -> list[tuple[_Form, ...]]:
    """The term's units (`wordforms.units`), each with every spelling it may take."""
    key = _term_key(term.text, keep_teh_marbuta=term.inflect)
    result = []
    for unit in units(_PUNCT_RUN.sub(r"\1", key).split(" "), term.joined):
        endings = None
        if term.inflect and _ARABIC.search(unit[-1]):
            stem, endings = inflection(unit[-1])
            unit = [*unit[:-1], stem]
        texts = {variant.replace(TEH_MARBUTA, "ه")
                 for spelled in spellings(unit) for variant in _key_variants(spelled)}
        result.append(tuple((text, endings, not _ARABIC.search(text)) for text in sorted(texts)))
    return result


def _with_article(forms: tuple[_Form, ...]) -> tuple[_Form, ...]:
    """An inflected word after the first may take the article, in agreement with the first
    (مسيرة تركية* finds المسيرات التركية)."""
    return forms + tuple((_ARTICLE + text, endings, latin) for text, endings, latin in forms
                         if endings is not None and not text.startswith(_ARTICLE))


def _entries(term: Term) -> list[tuple[str, str, frozenset[str] | None, _Tail | None]]:
    """(automaton key, how its start is checked, endings, the rest of the phrase) per way
    the automaton can find the term: a plain term is spelled out whole; a proximity or
    inflected phrase is found by its first unit and read on from there."""
    forms = _unit_forms(term)
    if term.near or term.inflect:
        rest = _Tail(tuple(map(_with_article, forms[1:])), term.near) if forms[1:] else None
        return [(*_entry_kind(term, text), endings, rest) for text, endings, _ in forms[0]]
    whole = {" ".join(texts) for texts in product(*[[f[0] for f in unit] for unit in forms])}
    whole.add(_term_key(term.text))
    return [(*_entry_kind(term, text), None, None) for text in whole]


class Watchlist:
    """All topics compiled into a single automaton (one pass over the text)."""

    def __init__(self, topics: Mapping[str, Topic | Sequence[str | Term]]):
        self.specs: dict[str, Topic] = {
            slug: spec if isinstance(spec, Topic)
            else Topic(slug, tuple(t if isinstance(t, Term) else term_from_text(t) for t in spec))
            for slug, spec in topics.items()}
        self.topics: dict[str, list[str]] = {
            slug: [t.label for t in spec.terms] for slug, spec in self.specs.items()}
        self._automaton = ahocorasick.Automaton()
        # (topic, role, term) -> a small number, which the automaton's values refer to
        self._owners: dict[tuple[str, str, Term], int] = {}
        self._proximity: set[int] = set()   # owners whose hits may share an end
        # key -> {(owner, how its start is checked, endings, rest of the phrase)}
        keys: dict[str, dict[tuple, None]] = {}
        for spec in self.specs.values():
            roles = [("term", spec.terms), ("exclude", spec.exclude)]
            roles += [(f"require:{n}", group) for n, group in enumerate(spec.requires)]
            for role, terms in roles:
                for term in terms:
                    owner = self._owners.setdefault((spec.slug, role, term), len(self._owners))
                    if term.near:
                        self._proximity.add(owner)
                    for kind, core, endings, rest in _entries(term):
                        keys.setdefault(core, {})[(owner, kind, endings, rest)] = None
        for key, entries in keys.items():
            latin = not _ARABIC.search(key)
            inflected = any(endings is not None for _, _, endings, _ in entries)
            self._automaton.add_word(key, (len(key), latin, inflected, tuple(entries)))
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
        for last, (length, latin, inflected, entries) in self._automaton.iter(flat):
            end = last + 1
            glued = end < size and (flat[end].isalnum() or flat[end] == "_") \
                and not (latin and _ARABIC.match(flat[end]))
            if glued and not inflected:
                continue
            for owner, kind, endings, rest in entries:
                stop = end
                if endings is not None:
                    stop = _word_end(flat, end)
                    if flat[end:stop] not in endings:
                        continue
                elif glued:
                    continue
                begin = _token_start(flat, end - length, kind)
                if begin is not None and rest is not None:
                    stop = rest.end(flat, stop)
                if begin is not None and stop is not None:
                    hits.setdefault(owner, set()).add((begin, stop))
        for owner in self._proximity & hits.keys():   # "A A B" near 1 is one hit: A B
            latest: dict[int, int] = {}
            for begin, end in hits[owner]:
                latest[end] = max(begin, latest.get(end, begin))
            hits[owner] = {(begin, end) for end, begin in latest.items()}
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
        return begin if PROCLITICS.fullmatch(glued) else None
    # لـ«أفريكوم»: a proclitic before quotes belongs to the hit's visible form.
    quoted = begin
    while quoted > 0 and flat[quoted - 1] in _QUOTES:
        quoted -= 1
    clitic = quoted
    while clitic > 0 and _is_word(flat[clitic - 1]):
        clitic -= 1
    if quoted < begin and clitic < quoted and PROCLITICS.fullmatch(flat[clitic:quoted]):
        return clitic
    return begin


def _term_match(topic: str, term: Term, spans: list[tuple[int, int]],
                normalized: Normalized) -> TermMatch:
    start, end = normalized.original_span(*spans[0])
    original = normalized.original
    return TermMatch(topic, term.label, len(spans), start, snippet(original, start, end),
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

def _options(table: dict, where: str) -> dict[str, Any]:
    """The matching options a term table or a topic sets, validated, as `Term` fields."""
    options: dict[str, Any] = {}
    near = table.get("near", 0)
    if isinstance(near, bool) or not isinstance(near, int) or not 0 <= near <= MAX_NEAR:
        raise ConfigError(f"{where}: 'near' must be a whole number from 0 to {MAX_NEAR} "
                          f"(got {near!r})")
    if "near" in table:
        options["near"] = near
    forms = table.get("forms", "plain")
    if not isinstance(forms, str) or forms not in _FORMS:
        raise ConfigError(f"{where}: 'forms' must be \"inflect\" or \"plain\" (got {forms!r})")
    if "forms" in table:
        options["inflect"] = _FORMS[forms]
    if not isinstance(table.get("joined", False), bool):
        raise ConfigError(f"{where}: 'joined' must be true or false (got {table['joined']!r})")
    if "joined" in table:
        options["joined"] = table["joined"]
    if options.get("joined") and options.get("near"):
        raise ConfigError(f"{where}: 'joined = true' and 'near' cannot be combined (a phrase "
                          f"written joined has no words between its words)")
    return options


def _written_options(text: str, explicit: dict[str, Any], where: str) -> Term:
    """The term's text without its `*` and ` ~N`, which join the table's options."""
    written = term_from_text(text)
    if "*" in written.text:
        raise ConfigError(f"{where}: '*' may only end a term (it asks for suffix forms)")
    if written.inflect:
        if explicit.get("inflect") is False:
            raise ConfigError(f"{where}: a trailing '*' contradicts forms = \"plain\"")
        explicit["inflect"] = True
    if written.near:
        if "near" in explicit:
            raise ConfigError(f"{where}: give the distance once, as '~N' or as 'near'")
        explicit["near"] = _options({"near": written.near}, where)["near"]
    return written


def _parse_term(value: Any, where: str, what: str, defaults: dict[str, Any]) -> Term:
    """One term, string or table; the topic's `defaults` apply where they can (a one-word
    term has no proximity, a Latin term no Arabic suffixes), explicit options must."""
    text, exact = (value.get("term"), value.get("exact", False)) if isinstance(value, dict) \
        else (value, False)
    if isinstance(value, dict):
        unknown = sorted(set(value) - _TERM_KEYS)
        if unknown:
            raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)} in a {what} "
                              f"(allowed: {', '.join(sorted(_TERM_KEYS))})")
        if not isinstance(exact, bool):
            raise ConfigError(f"{where}: 'exact' must be true or false ({value!r})")
    if not isinstance(text, str) or not any(_is_word(c) for c in _term_key(text)):
        raise ConfigError(f"{where}: every {what} must be a non-empty string with a letter "
                          f"or digit, or a table {{ term = \"…\", exact = true }}; "
                          f"got {text!r}")
    here = f"{where}: {what} {text!r}"
    explicit = _options(value, here) if isinstance(value, dict) else {}
    text = _written_options(text, explicit, here).text
    words = len(_PUNCT_RUN.sub(r"\1", _term_key(text)).split(" "))
    arabic = bool(_ARABIC.search(text))
    if explicit.get("inflect") and not arabic:
        raise ConfigError(f"{here}: suffix forms are Arabic, and the term has no Arabic word")
    if explicit.get("near") and words < 2:
        raise ConfigError(f"{here}: 'near' needs a term of two or more words")
    joined = explicit.get("joined", defaults.get("joined"))
    if joined and words > MAX_JOINED_WORDS:
        raise ConfigError(f"{here}: 'joined = true' takes at most {MAX_JOINED_WORDS} words")
    if joined and explicit.get("near"):
        raise ConfigError(f"{here}: 'near' cannot be combined with 'joined = true'")
    inherited_near = defaults.get("near", 0) if words > 1 and not joined else 0
    return Term(text, exact, explicit.get("near", inherited_near),
                explicit.get("inflect", defaults.get("inflect", False) and arabic), joined)


def _parse_terms(body: dict, key: str, where: str, what: str, required: bool,
                 defaults: dict[str, Any] | None = None) -> tuple[Term, ...]:
    values = body.get(key, [])
    if not isinstance(values, list) or (required and not values):
        size = "a non-empty" if required else "a"
        raise ConfigError(f"{where}: '{key}' must be {size} list of strings or term tables")
    terms = tuple(_parse_term(v, where, what, defaults or {}) for v in values)
    seen: set[str] = set()
    for term in terms:
        key_text = _term_key(term.label)
        if key_text in seen:
            raise ConfigError(f"{where}: {what} {term.label!r} is listed twice "
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
    if not isinstance(body.get("alert", False), bool):
        raise ConfigError(f"{where}: 'alert' must be true or false")
    terms = _parse_terms(body, "terms", where, "term", True, _options(body, where))
    exclude = _parse_terms(body, "exclude", where, "excluded phrase", required=False)
    overlap = {_term_key(t.text) for t in terms} & {_term_key(t.text) for t in exclude}
    if overlap:
        raise ConfigError(f"{where}: {min(overlap)!r} is both a term and excluded")
    return Topic(slug, terms, exclude, _parse_requires(body, where),
                 body.get("description", "").strip(), body.get("alert", False))


def load_watchlist(path: str | Path | None = None) -> Watchlist:
    """Load and validate a watchlist file (the shipped default when `path` is None)."""
    path = Path(path) if path else DEFAULT_WATCHLIST
    table = require_table(load_toml(path), "topics", path)
    return Watchlist({slug: parse_topic(slug, body, f"{path}: [topics.{slug}]")
                      for slug, body in table.items()})
