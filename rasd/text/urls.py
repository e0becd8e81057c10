"""The two spellings of one article URL that the seen-URL check treats as one.

Many servers answer 404 for the other spelling of a path, so rasd keeps an article URL as the
outlet wrote it, trailing slash or not (crawler/urls.py); the seen-URL check (rasd/store/seen.py)
then asks for both spellings.
"""
from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit


def slash_twin(url: str) -> str | None:
    """The same URL with the trailing slash of its path toggled (None for a bare host)."""
    parts = urlsplit(url)
    if len(parts.path) <= 1:
        return None
    path = parts.path[:-1] if parts.path.endswith("/") else parts.path + "/"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))
