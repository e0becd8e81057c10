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


def _build_tables() -> tuple[dict[int, str], re.Pattern]:
    """A translate table for characters that map one-to-one, and a regex for all the others.

    Combining marks are matched together with the character before them, so that a separately
    typed hamza or madda composes with its alef as NFKC of the whole text would.
    """
    marks = [cp for cp in range(0x10000) if unicodedata.combining(chr(cp))]
    mark_set = set(marks)
    table, regular = {}, []
    for low, high in _FAST_RANGES:
        for cp in range(low, high + 1):
            if cp in mark_set or 0xD800 <= cp <= 0xDFFF:
                continue
            out = _normalize_piece(chr(cp))
            if len(out) == 1:
                regular.append(cp)
                if out != chr(cp):
                    table[cp] = out
    mark_class = _char_class(marks)
    irregular = re.compile(f"[^{mark_class}]?[{mark_class}]+|[^{_char_class(regular)}]")
    return table, irregular


_ONE_TO_ONE, _IRREGULAR = _build_tables()
_WHITESPACE = re.compile(r"\s{2,}|[^\S ]")


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


def _rewrite(text: str, pattern: re.Pattern, replace, table: dict[int, str] | None
             ) -> tuple[str, OffsetMap]:
    """Rewrite the matches of `pattern` with `replace(match)`, the rest with `table`."""
    pieces: list[str] = []
    offsets = OffsetMap(len(text))
    last = 0
    for found in pattern.finditer(text):
        if found.start() > last:
            run = text[last:found.start()]
            pieces.append(run.translate(table) if table else run)
            offsets.add(last, len(run), linear=True)
        out = replace(found)
        pieces.append(out)
        offsets.add(found.start(), len(out), linear=False)
        last = found.end()
    run = text[last:]
    pieces.append(run.translate(table) if table else run)
    offsets.add(last, len(run), linear=True)
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
    flat, offsets = _rewrite(text, _IRREGULAR, lambda m: _cached_piece(m.group()), _ONE_TO_ONE)
    maps = (offsets,)
    if fold_whitespace:
        flat, folded = _rewrite(flat, _WHITESPACE, lambda m: " ", None)
        maps = (offsets, folded)
    return Normalized(text, flat, maps)


def normalize(text: str) -> str:
    """NFKC, drop diacritics/tatweel/invisible marks, unify letter variants, casefold Latin."""
    return normalize_with_offsets(text).text
