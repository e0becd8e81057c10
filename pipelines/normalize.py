"""Arabic text normalization for matching: one spelling per word, whatever the outlet typed."""
from __future__ import annotations

import re
import unicodedata

_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_LETTERS = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    "ى": "ي", "ة": "ه",
    "ی": "ي", "ک": "ك", "ۀ": "ه",
})


def normalize(text: str) -> str:
    """NFKC, drop diacritics/tatweel/invisible marks, unify letter variants, casefold Latin."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", _DIACRITICS.sub("", text))
    return text.translate(_LETTERS).casefold()
