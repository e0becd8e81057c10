"""Arabic text normalization: one spelling per word, whatever the outlet typed.

Used by watchlist matching (and by dedup and search), so that حَفْتَر, حفـــتر and حفتر compare
equal. `normalize_with_offsets` also keeps the way back to the original offsets, because an
analyst must see the original characters in snippets and highlights, not the normalized ones.

The rules, in order: NFKC (presentation forms, ligatures, no-break spaces); drop diacritics
(tashkeel, superscript alef, Quranic marks), tatweel, zero-width and bidi control characters;
unify alef forms (أ إ آ ٱ → ا), alef maqsura and yeh (ى → ي), teh marbuta and heh (ة → ه),
Persian/Urdu look-alike letters (ی ک ۀ ە ہ ھ ڪ) to their Arabic forms, Arabic-Indic and
Persian digits to ASCII; case-fold Latin. Hamza on waw and yeh (ؤ ئ) stay distinct letters.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

_DELETE = re.compile(
    "[\u0610-\u061a\u061c\u064b-\u065f\u0670\u06d6-\u06ed\u0640"   # marks, ALM, tatweel
    "\u00ad\u034f\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_LETTERS = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    "ى": "ي", "ی": "ي", "ې": "ي",
    "ة": "ه", "ۀ": "ه", "ە": "ه", "ہ": "ه", "ھ": "ه",
    "ک": "ك", "ڪ": "ك",
    **{chr(0x0660 + d): str(d) for d in range(10)},   # Arabic-Indic digits
    **{chr(0x06F0 + d): str(d) for d in range(10)},   # Persian digits
})
# Blocks whose characters are checked at import for a one-to-one mapping (the fast path).
_FAST_RANGES = [(0x0000, 0x02FF), (0x0600, 0x08FF), (0x2000, 0x206F)]


def _normalize_piece(piece: str) -> str:
    """The rules applied to one character or one base character with its combining marks."""
    piece = _DELETE.sub("", unicodedata.normalize("NFKC", piece))
    return piece.translate(_LETTERS).casefold()


def _char_class(code_points: list[int]) -> str:
    """A regex character class body for `code_points`, as ranges."""
    parts, start, prev = [], None, None
    for cp in sorted(code_points) + [-1]:
        if start is not None and cp == prev + 1:
            prev = cp
            continue
        if start is not None:
            parts.append(re.escape(chr(start)) + ("-" + re.escape(chr(prev)) if prev > start
                                                  else ""))
        start = prev = cp
    return "".join(parts)


def _build_tables() -> tuple[frozenset[str], re.Pattern, dict[str, str]]:
    """The combining marks, a regex for runs of characters off the fast path, and the
    letter replacements of the fast path.

    A character is on the fast path when NFKC keeps it and the rules map it to exactly one
    character that plain letter replacement and casefolding produce; the fast path is then a
    handful of `str.replace` calls and one `casefold`. Every other character, and a
    combining mark together with the character before it (so that a separately typed hamza
    or madda composes with its alef as NFKC of the whole text would), is normalized one
    cluster at a time.
    """
    marks = [cp for cp in range(0x10000) if unicodedata.combining(chr(cp))]
    mark_set = set(marks)
    regular = []
    for low, high in _FAST_RANGES:
        for cp in range(low, high + 1):
            char = chr(cp)
            if cp in mark_set or 0xD800 <= cp <= 0xDFFF:
                continue
            out = _normalize_piece(char)
            if unicodedata.normalize("NFKC", char) == char and len(out) == 1 \
                    and out == char.translate(_LETTERS).casefold():
                regular.append(cp)
    replacements = {chr(k): v for k, v in _LETTERS.items()}
    return (frozenset(map(chr, marks)), re.compile(f"[^{_char_class(regular)}]+"),
            replacements)


_MARKS, _IRREGULAR_RUN, _REPLACEMENTS = _build_tables()
_CLUSTER = re.compile(f".[{_char_class([ord(m) for m in _MARKS])}]*", re.DOTALL)
_SPACES = re.compile(" {2,}")
_OTHER_WHITESPACE = re.compile(r"[^\S ]")


def _fast_path(text: str) -> str:
    """Letter replacements and casefolding of fast-path text: one character for one."""
    for old, new in _REPLACEMENTS.items():
        if old in text:
            text = text.replace(old, new)
    return text.casefold()


class OffsetMap:
    """Maps an index in a rewritten text back to the index in the text it was made from.

    Stored as segments: a one-to-one run maps index by index; a replacement maps each of its
    characters to the start of what it replaced.
    """

    def __init__(self, source_length: int):
        self.source_length = source_length
        self.length = 0
        self._starts: list[int] = []
        self._origins: list[int] = []
        self._linear: list[bool] = []

    def add(self, origin: int, length: int, linear: bool) -> None:
        if length <= 0:
            return
        if linear:
            self._starts.append(self.length)
            self._origins.append(origin)
            self._linear.append(True)
        else:
            for k in range(length):
                self._starts.append(self.length + k)
                self._origins.append(origin)
                self._linear.append(False)
        self.length += length

    def __call__(self, index: int) -> int:
        if index >= self.length:
            return self.source_length
        k = bisect_right(self._starts, index) - 1
        return self._origins[k] + (index - self._starts[k] if self._linear[k] else 0)


def _normalize_chars(text: str) -> tuple[str, OffsetMap]:
    """The character rules over the whole text, with the offset map back to `text`."""
    pieces: list[str] = []
    offsets = OffsetMap(len(text))
    last = 0
    for found in _IRREGULAR_RUN.finditer(text):
        start = found.start()
        if start > last and text[start] in _MARKS:
            start -= 1   # the base character the marks belong to
        if start > last:
            pieces.append(text[last:start])
            offsets.add(last, start - last, linear=True)
        for cluster in _CLUSTER.finditer(text, start, found.end()):
            out = _cached_piece(cluster.group())
            pieces.append(out)
            offsets.add(cluster.start(), len(out), linear=False)
        last = found.end()
    pieces.append(text[last:])
    offsets.add(last, len(text) - last, linear=True)
    return _fast_path("".join(pieces)), offsets


def _fold_whitespace(text: str) -> tuple[str, OffsetMap]:
    """Every run of whitespace as one space, with the offset map back to `text`."""
    text = _OTHER_WHITESPACE.sub(" ", text)   # one for one: offsets do not move
    pieces: list[str] = []
    offsets = OffsetMap(len(text))
    last = 0
    for found in _SPACES.finditer(text):
        pieces.append(text[last:found.start()])
        offsets.add(last, found.start() - last, linear=True)
        pieces.append(" ")
        offsets.add(found.start(), 1, linear=False)
        last = found.end()
    pieces.append(text[last:])
    offsets.add(last, len(text) - last, linear=True)
    return "".join(pieces), offsets


@lru_cache(maxsize=4096)
def _cached_piece(piece: str) -> str:
    return _normalize_piece(piece)


@dataclass(frozen=True)
class Normalized:
    """Normalized text, with the way back to offsets in the original."""

    original: str
    text: str
    maps: tuple[OffsetMap, ...]

    def original_offset(self, index: int) -> int:
        """Where the normalized character at `index` (or the end, for len) came from."""
        for offsets in reversed(self.maps):
            index = offsets(index)
        return index

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original text span of the normalized span [start, end)."""
        return self.original_offset(start), self.original_offset(end)


def normalize_with_offsets(text: str, fold_whitespace: bool = False) -> Normalized:
    """Normalize `text`, keeping an offset map; optionally fold whitespace runs to one space.

    Folding lets a multi-word term match across line breaks and repeated spaces.
    """
    flat, offsets = _normalize_chars(text)
    maps = (offsets,)
    if fold_whitespace:
        flat, folded = _fold_whitespace(flat)
        maps = (offsets, folded)
    return Normalized(text, flat, maps)


def normalize(text: str) -> str:
    """NFKC, drop diacritics/tatweel/invisible marks, unify letter variants, casefold Latin."""
    return normalize_with_offsets(text).text
