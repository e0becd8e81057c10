"""Where the store lives: an SQLite file (a path, the default) or a PostgreSQL server (a URL).

Only names and strings here, no driver: `--db` and `RASD_DB` are parsed on every command, and
a read-only command against SQLite must not pay for importing psycopg.
"""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

SCHEMES = ("postgresql", "postgres")

Target = Path | str   # a SQLite file, or a PostgreSQL URL kept as written


def is_url(target: str | os.PathLike) -> bool:
    """Whether `target` names a PostgreSQL database (postgresql:// or postgres://)."""
    return isinstance(target, str) and target.partition("://")[0].lower() in SCHEMES


def parse_target(text: str | os.PathLike) -> Target:
    """A SQLite path as a Path, or a PostgreSQL URL checked and kept as a string; ValueError
    with a one-line message (never the password) for a URL that cannot be one."""
    if not isinstance(text, str):
        return Path(text)
    text = text.strip()
    scheme, sep, _ = text.partition("://")
    if not sep:
        return Path(text)
    if scheme.lower() not in SCHEMES:
        raise ValueError(f"{redact(text)!r} is neither a file path nor a postgresql:// URL")
    try:
        parts = urlsplit(text)
        parts.port   # raises ValueError on a port that is not a number
    except ValueError as exc:
        raise ValueError(f"{redact(text)!r} is not a valid PostgreSQL URL: {exc}") from None
    if not parts.path.strip("/"):
        raise ValueError(f"{redact(text)!r} names no database: write postgresql://user@host"
                         "[:port]/DATABASE")
    return text


def redact(url: str) -> str:
    """The URL without its password (`postgresql://user:***@host/db`), for messages and
    logs; anything that does not parse is shown as its scheme and host only."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url.partition("://")[0] + "://…"
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def describe(target: Target) -> str:
    """How messages name the database: the path, or the URL without its password."""
    return redact(target) if is_url(target) else str(target)
