"""Search queries: what an analyst types, parsed and turned into a safe FTS5 expression (SQLite)
or tsquery (PostgreSQL).

The index (`rasd/store/search.py`) holds each article's title and text normalized as the
watchlist sees them (`normalize.py`), one token per word. Proclitics are handled here, on the
query side, not in the index: a query word matches a stored word when both are the same word
after taking off a proclitic sequence (`watchlist.PROCLITICS`: و ف, then ب ك ل, ال, لل), so
حفتر, بحفتر and وحفتر find the same articles, whichever of them is typed. The index cannot
do this by itself without guessing: whether a word's first letter is a proclitic (بحفتر) or
part of the word (بحر, بلاد) is ambiguous, and FTS5 (from Python) cannot store two tokens at
one position, so one stripped form per word would lose phrases or words. Expanding the query
instead tries every reading: each query word becomes the OR of every proclitic sequence put
before each of its possible stems (a stem keeps at least `MIN_STEM` letters). The rule lives
in one place with the watchlist's and can change without re-indexing; the cost is a bigger
query (dozens of alternatives per word), which FTS5 answers from its index in one pass.

Syntax: words (all must occur), "a phrase" (also «…» or “…”), OR, NOT and parentheses;
AND may be written. Everything else is a separator: the expression sent to FTS5 (`to_fts`) or
PostgreSQL (`to_tsquery`) is built from quoted words only, so no query string reaches either
engine's own syntax (`escape_fts` in Datasette is the model). A query that cannot be read is a
`QueryError` with one line. Neither engine is given a prefix search (`word*`): the proclitic
expansion is how a word finds its longer spellings, on both.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import product

from rasd.text.normalize import normalize, normalize_with_offsets
from rasd.text.watchlist import PROCLITICS
from rasd.text.wordforms import MIN_STEM

MAX_QUERY_CHARS = 1000
MAX_QUERY_WORDS = 24
_QUOTES = "\"«»“”„"
_CHUNK = re.compile(f"[{_QUOTES}()]|[^\\s{_QUOTES}()]+")
WORD = re.compile(r"[^\W_]+")   # a token, in the query and in the index
_ARABIC = re.compile("[\u0600-\u06ff]")
_OPERATORS = {"AND", "OR", "NOT"}
# Every proclitic sequence the watchlist allows (24), longest first.
PREFIXES = sorted({a + b for a, b in product(("", "و", "ف"),
                                             ("", "ب", "ك", "ل", "ال", "بال", "كال", "لل"))
                   if PROCLITICS.fullmatch(a + b)}, key=len, reverse=True)
_UNSAFE = re.compile("[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]")


class QueryError(ValueError):
    """A query that cannot be read; the message is one line for the analyst."""


@dataclass(frozen=True)
class Phrase:
    """Consecutive words (one word is a phrase of one); the first may carry proclitics."""

    words: tuple[str, ...]

    def alternatives(self) -> list[str]:
        """Each way the phrase may be written, as FTS5 phrases (quoted)."""
        first, rest = self.words[0], self.words[1:]
        return ['"' + " ".join((form, *rest)) + '"' for form in sorted(word_forms(first))]


@dataclass(frozen=True)
class Node:
    """An operator over sub-queries: 'AND', 'OR', or 'NOT' (the first child minus the rest)."""

    op: str
    children: tuple[Node | Phrase, ...]


Query = Node | Phrase


def word_forms(word: str) -> set[str]:
    """The normalized spellings a query word stands for: each stem it may have (the word
    itself, or the word without a proclitic sequence, when MIN_STEM letters remain), with
    every proclitic sequence before it. Non-Arabic words stand for themselves."""
    if not _ARABIC.search(word):
        return {word}
    stems = {word} | {word[len(p):] for p in PREFIXES
                      if p and word.startswith(p) and len(word) - len(p) >= MIN_STEM}
    return {prefix + stem for stem in stems for prefix in PREFIXES}


def parse_query(text: str) -> Query:
    """The query as a tree; QueryError explains what cannot be read."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is longer than {MAX_QUERY_CHARS} characters")
    tokens = _tokens(text)
    words = sum(1 for t in tokens if t not in _OPERATORS and t not in "()" and t not in _QUOTES)
    if not words:
        raise QueryError("the query has no word to look for")
    if words > MAX_QUERY_WORDS:
        raise QueryError(f"the query has more than {MAX_QUERY_WORDS} words")
    parser = _Parser(tokens)
    query = parser.either()
    if parser.pos < len(tokens):
        raise QueryError(f"unexpected {tokens[parser.pos]!r} (a ')' without its '('?)")
    return query


def to_fts(query: Query) -> str:
    """The FTS5 MATCH expression: only quoted words, parentheses and operators."""
    if isinstance(query, Phrase):
        return "(" + " OR ".join(query.alternatives()) + ")"
    if query.op == "NOT":
        keep, *drop = query.children
        return f"({to_fts(keep)} NOT " + " NOT ".join(map(to_fts, drop)) + ")"
    return "(" + f" {query.op} ".join(map(to_fts, query.children)) + ")"


def to_tsquery(query: Query) -> str:
    """The same expression as PostgreSQL's tsquery text: each word a quoted lexeme, a phrase
    its words joined by `<->` (next to each other), AND `&`, OR `|`, NOT `& !`."""
    if isinstance(query, Phrase):
        first, rest = query.words[0], query.words[1:]
        return "(" + " | ".join(" <-> ".join(map(lexeme, (form, *rest)))
                                for form in sorted(word_forms(first))) + ")"
    if query.op == "NOT":
        keep, *drop = query.children
        return f"({to_tsquery(keep)}" + "".join(f" & !{to_tsquery(d)}" for d in drop) + ")"
    operator = " & " if query.op == "AND" else " | "
    return "(" + operator.join(map(to_tsquery, query.children)) + ")"


def lexeme(word: str) -> str:
    """A word as a quoted tsquery/tsvector lexeme (taken as it is: no parser, no dictionary)."""
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def phrases(query: Query) -> list[Phrase]:
    """The phrases to highlight: all but those under NOT's excluded side."""
    if isinstance(query, Phrase):
        return [query]
    children = query.children[:1] if query.op == "NOT" else query.children
    return [p for child in children for p in phrases(child)]


def _tokens(text: str) -> list[str]:
    """Operators (as typed: upper case), quotes, parentheses and normalized words; quotes
    must pair up."""
    tokens = []
    for chunk in _CHUNK.findall(text):
        if chunk in _OPERATORS or chunk in _QUOTES or chunk in "()":
            tokens.append(chunk)
        else:
            tokens.extend(WORD.findall(normalize(chunk)))
    if sum(t in _QUOTES for t in tokens) % 2:
        raise QueryError("a quotation mark is not closed (phrases are written \"like this\")")
    return tokens


class _Parser:
    """Recursive descent: either := both (OR both)*; both := item ((AND)? item)*;
    item := NOT item | "words" | ( either ) | word. NOT is kept as the excluded side of the
    AND around it, since FTS5's NOT needs something to exclude from."""

    def __init__(self, tokens: list[str]):
        self.tokens, self.pos = tokens, 0

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> str:
        self.pos += 1
        return self.tokens[self.pos - 1]

    def either(self) -> Query:
        parts = [self.both()]
        while self.peek() == "OR":
            self.take()
            parts.append(self.both())
        return parts[0] if len(parts) == 1 else Node("OR", tuple(parts))

    def both(self) -> Query:
        keep: list[Query] = []
        drop: list[Query] = []
        while self.peek() not in (None, ")", "OR"):
            if self.peek() == "AND":
                self.take()
                continue
            negated = self.peek() == "NOT"
            if negated:
                self.take()
            (drop if negated else keep).append(self.item())
        if not keep:
            raise QueryError("NOT and OR need words beside them (e.g. حفتر NOT الدبيبة, "
                             "حفتر OR الدبيبة)")
        found = keep[0] if len(keep) == 1 else Node("AND", tuple(keep))
        return Node("NOT", (found, *drop)) if drop else found

    def item(self) -> Query:
        token = self.peek()
        if token is None or token in _OPERATORS or token == ")":
            raise QueryError(f"a word is missing before {token or 'the end'!r}")
        self.take()
        if token == "(":
            inner = self.either()
            if self.peek() != ")":
                raise QueryError("a '(' is not closed")
            self.take()
            return inner
        if token in _QUOTES:
            words = []
            while self.peek() not in _QUOTES:
                words.append(self.take())
            self.take()
            words = [w.casefold() for w in words if WORD.fullmatch(w)]   # OR is a word here
            if not words:
                raise QueryError("an empty phrase \"\" has nothing to look for")
            return Phrase(tuple(words))
        return Phrase((token,))


# ---- highlighting, in the original characters --------------------------------------------

def hit_spans(text: str, query: Query) -> list[tuple[int, int]]:
    """Original-text spans of the query's phrases in `text`, in order, not overlapping."""
    normalized = normalize_with_offsets(text)
    words = [(m.start(), m.end(), m.group()) for m in WORD.finditer(normalized.text)]
    spans = set()
    for phrase in phrases(query):
        forms, rest, size = word_forms(phrase.words[0]), list(phrase.words[1:]), len(phrase.words)
        for i in range(len(words) - size + 1):
            if words[i][2] in forms and [w for _, _, w in words[i + 1:i + size]] == rest:
                spans.add(normalized.original_span(words[i][0], words[i + size - 1][1]))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


@dataclass(frozen=True)
class Snippet:
    """A cleaned piece of original text and the spans of its hits (offsets in `text`)."""

    text: str
    highlights: tuple[tuple[int, int], ...]


def snippet(text: str, spans: list[tuple[int, int]], radius: int = 80) -> Snippet:
    """About `radius` characters each side of the first hit, cut at whole words, with every
    hit inside it; control and bidi-override characters removed, whitespace folded."""
    if not spans:
        end = min(len(text), 2 * radius)
        return Snippet(_safe(text[:end]) + ("…" if end < len(text) else ""), ())
    left = max(0, spans[0][0] - radius)
    right = min(len(text), spans[0][1] + radius)
    while left > 0 and not text[left - 1].isspace() and left < spans[0][0]:
        left += 1   # start at a whole word
    while right < len(text) and not text[right].isspace() and right > spans[0][1]:
        right -= 1
    out, marks, pos = ["…" if left > 0 else ""], [], left
    for start, end in spans:
        if start < pos or end > right:
            continue
        out.append(_safe(text[pos:start]))
        begin = sum(map(len, out))
        out.append(_safe(text[start:end]))
        marks.append((begin, sum(map(len, out))))
        pos = end
    out.append(_safe(text[pos:right]) + ("…" if right < len(text) else ""))
    return Snippet("".join(out), tuple(marks))


def _safe(text: str) -> str:
    """Untrusted text for one line: control and bidi characters out, whitespace folded."""
    return re.sub(r"\s+", " ", _UNSAFE.sub(" ", text))

