"""Deciding a page's text encoding from its bytes.

Arabic outlets still serve windows-1256 and ISO-8859-6, sometimes with no charset anywhere, and
generic detectors then guess a Latin code page and produce mojibake. The order here: byte order
mark, a declared charset that actually decodes (HTTP header, then <meta>), UTF-8, then the
Arabic legacy code page that yields the most Arabic letters.

UTF-8 is taken with replacement characters when only a few bytes are invalid (a truncated
character, one bad byte from a CMS): re-guessing such a page as windows-1256 turns all of it
into mojibake, which language detection then drops. A page whose "UTF-8" is mostly invalid is
not UTF-8 at all, whatever it declares, and goes on to the legacy guess.
"""
from __future__ import annotations

import codecs
import re

from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom

_ARABIC_LETTER = re.compile("[\u0621-\u064a]")
_LEGACY_ARABIC = ("cp1256", "iso8859-6")
UTF8_MAX_INVALID_SHARE = 0.01   # of the non-ASCII characters: more, and it is not UTF-8


def _mostly_utf8(body: bytes) -> str | None:
    """The body as UTF-8, with U+FFFD for invalid bytes, if at most 1% of its non-ASCII
    characters are invalid; None otherwise."""
    text = body.decode("utf-8", errors="replace")
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    invalid = text.count("\ufffd") - body.decode("utf-8", errors="ignore").count("\ufffd")
    return text if non_ascii and invalid <= non_ascii * UTF8_MAX_INVALID_SHARE else None


def _decodes(body: bytes, encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        return body.decode(codecs.lookup(encoding).name)
    except (LookupError, UnicodeDecodeError):
        return None


def _arabic_share(text: str) -> float:
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    return len(_ARABIC_LETTER.findall(text)) / non_ascii if non_ascii else 0.0


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Return (text, encoding name) for an HTML page's raw bytes."""
    bom_encoding, bom = read_bom(body)
    if bom_encoding:
        return body[len(bom):].decode(bom_encoding, errors="replace"), bom_encoding
    for declared in (http_content_type_encoding(content_type or ""),
                     html_body_declared_encoding(body)):
        text = _decodes(body, declared)
        if text is not None and not (declared in ("ascii", "latin-1", "cp1252", "iso8859-1")
                                     and _arabic_share(_decodes(body, "cp1256") or "") > 0.5):
            return text, codecs.lookup(declared).name
    text = _decodes(body, "utf-8") or _mostly_utf8(body)
    if text is not None:
        return text, "utf-8"
    candidates = [(enc, body.decode(enc, errors="replace")) for enc in _LEGACY_ARABIC]
    encoding, text = max(candidates, key=lambda pair: _arabic_share(pair[1]))
    return text, encoding
