"""`rasd watchlist add` and `remove`: edits of the analyst's watchlist file, comments kept.

The file is edited with tomlkit, which keeps comments, order and layout; the result is
checked by loading it as the effective watchlist (`watchlist_layers`) before it replaces the
file (a temporary file renamed over it), so an edit that would make the watchlist invalid
changes nothing. Adding a term never touches the shipped file: a shipped topic gets the term
in the analyst's `[topics.<slug>] terms`; removing a shipped term lists it in `remove`.
"""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import tomlkit
from tomlkit.items import Array, Table

from rasd.config import ConfigError, load_toml
from rasd.text.watchlist import DEFAULT_WATCHLIST
from rasd.text.watchlist_layers import load_effective_watchlist, term_text

_SLUG = re.compile(r"[A-Za-z0-9_-]+")
_HEADER = ("# Your watchlist, laid over the shipped one (docs/watchlist.md#your-own-watchlist).\n"
           "# `rasd watchlist add/remove` edit it; comments are kept.\n")


def _document(path: Path) -> tomlkit.TOMLDocument:
    if not path.exists():
        return tomlkit.parse(_HEADER)
    load_toml(path)   # I/O and syntax problems as one-line errors
    return tomlkit.parse(path.read_text(encoding="utf-8"))


def _topic(doc: tomlkit.TOMLDocument, slug: str, create: bool) -> Table | None:
    if not _SLUG.fullmatch(slug):
        raise ConfigError(f"topic {slug!r}: use letters, digits, '_' or '-' (e.g. militias)")
    if "topics" not in doc:
        if not create:
            return None
        doc.add("topics", tomlkit.table(is_super_table=True))
    topics = doc["topics"]
    if slug not in topics and create:
        topics.add(slug, tomlkit.table())
    return topics.get(slug)


def _array(table: Table, key: str) -> Array:
    if key not in table:
        table.add(key, tomlkit.array())
    return table[key]


def _index(values: Array, term: str) -> int | None:
    key = term_text(term)
    return next((i for i, v in enumerate(values) if term_text(v) == key), None)


def _save(path: Path, doc: tomlkit.TOMLDocument) -> None:
    """Check the edited file as the effective watchlist, then put it in place atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(tomlkit.dumps(doc))
        try:
            load_effective_watchlist(temporary)
        except ConfigError as exc:   # name the real file, not the temporary one
            raise ConfigError(str(exc).replace(temporary, str(path))) from None
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _shipped_terms(slug: str) -> list | None:
    topic = load_toml(DEFAULT_WATCHLIST)["topics"].get(slug)
    return None if topic is None else topic.get("terms", [])


def add_terms(path: Path, slug: str, terms: list[str]) -> list[str]:
    """Add `terms` to topic `slug` in the analyst's file (a new topic when it is in neither
    file); what was done, one line each."""
    doc = _document(path)
    table = _topic(doc, slug, create=True)
    done = []
    enabled = bool(table.get("disabled"))
    if enabled:
        del table["disabled"]
        done.append(f"{slug}: shipped topic enabled again")
    shipped = _shipped_terms(slug) or []
    for term in terms:
        removed = _array(table, "remove") if "remove" in table else None
        at = _index(removed, term) if removed is not None else None
        if at is not None:
            del removed[at]
            done.append(f"{slug}: {term} restored (a shipped term you had removed)")
        elif enabled and _index(shipped, term) is not None:
            done.append(f"{slug}: {term} is back with the topic (a shipped term)")
        elif _index(shipped, term) is not None or _index(_array(table, "terms"), term) \
                is not None:
            raise ConfigError(f"{slug}: {term!r} is already a term of this topic")
        else:
            _array(table, "terms").append(term)
            done.append(f"{slug}: {term} added")
    for key in ("remove", "terms"):
        if key in table and not table[key]:
            del table[key]
    _save(path, doc)
    return done


def remove_terms(path: Path, slug: str, terms: list[str]) -> list[str]:
    """Take `terms` out of topic `slug` (the whole topic when none is given): from the
    analyst's file, or for a shipped term, by listing it in `remove`."""
    doc = _document(path)
    shipped = _shipped_terms(slug)
    table = _topic(doc, slug, create=shipped is not None)
    if table is None:
        raise ConfigError(f"{slug}: no such topic in {path} or in the shipped watchlist")
    if not terms:
        if shipped is None:
            del doc["topics"][slug]
            done = [f"{slug}: topic deleted from {path}"]
        else:
            table.clear()
            table.add("disabled", True)
            done = [f"{slug}: shipped topic disabled"]
        _save(path, doc)
        return done
    done = []
    for term in terms:
        mine = table.get("terms")
        at = _index(mine, term) if mine is not None else None
        if at is not None:
            del mine[at]
            done.append(f"{slug}: {term} removed")
        elif shipped is not None and _index(shipped, term) is not None:
            _array(table, "remove").append(term)
            done.append(f"{slug}: {term} removed (a shipped term: listed in 'remove')")
        else:
            raise ConfigError(f"{slug}: {term!r} is not a term of this topic")
    if "terms" in table and not table["terms"]:
        del table["terms"]
        if shipped is None:
            del doc["topics"][slug]
            done.append(f"{slug}: no term left, topic deleted from {path}")
    if not doc.get("topics", {}).get(slug, True):
        del doc["topics"][slug]
    _save(path, doc)
    return done
