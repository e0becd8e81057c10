"""The effective watchlist: the shipped one, with the analyst's own file laid over it.

The analyst's file (`--watchlist`, `$RASD_WATCHLIST`, else `./watchlist.toml` when it
exists) adds to the shipped list; it never silently replaces it, so adding one topic and
running `rasd rematch` only adds matches. In it:

    [topics.militias]            # a new topic: a full topic table
    terms = ["ميليشيا*"]

    [topics.haftar]              # a shipped topic: these terms are added to its terms,
    terms = ["المشير"]           # these exclusions and requirement groups to its own
    remove = ["خليفة حفتر"]      # shipped terms taken out (written as in the shipped list)

    [topics.sirte]
    disabled = true              # a shipped topic switched off

`replace = true` at the top of the file makes it the whole watchlist (the shipped one is not
read), as `--watchlist` behaved before layers. Other keys given for a shipped topic
(`description`, …) replace the shipped value; `near`, `forms` and `joined` are refused there,
because a topic's defaults would then change the shipped terms too: set them on the added
terms (`{ term = "…", near = 1 }`).
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rasd.config import ConfigError, load_toml, require_table
from rasd.text.normalize import normalize
from rasd.text.watchlist import DEFAULT_WATCHLIST, Watchlist, parse_topic, term_from_text

LAYER_KEYS = {"topics", "replace"}
_APPENDED = ("exclude",)
_TERM_DEFAULTS = ("near", "forms", "joined")
SHIPPED, YOURS, BOTH, DISABLED = "shipped", "yours", "shipped + yours", "disabled"


@dataclass(frozen=True)
class TopicOrigin:
    """Where a topic of the effective watchlist comes from, and what the analyst changed."""

    slug: str
    origin: str                       # SHIPPED, YOURS, BOTH or DISABLED
    description: str
    terms: tuple[str, ...]            # the effective terms' labels (none when disabled)
    added: tuple[str, ...] = ()       # terms the analyst's file adds to a shipped topic
    removed: tuple[str, ...] = ()     # shipped terms the analyst's file takes out


@dataclass(frozen=True)
class EffectiveWatchlist:
    """The compiled watchlist, and where each of its topics comes from."""

    watchlist: Watchlist
    topics: tuple[TopicOrigin, ...]
    layer: Path | None
    replaced: bool


def term_text(value: Any) -> str:
    """A term as written in TOML (string or table), normalized, without `*` and `~N`: the
    identity `remove` and `rasd watchlist remove` compare by."""
    text = value.get("term", "") if isinstance(value, dict) else value
    if not isinstance(text, str):
        return ""
    return " ".join(normalize(term_from_text(text).text).split())


def _label(value: Any) -> str:
    text = value.get("term", "") if isinstance(value, dict) else value
    return text if isinstance(text, str) else repr(text)


def _groups(value: Any) -> list:
    """`requires` as a list of groups (a flat list is one group)."""
    if not isinstance(value, list) or not value:
        return []
    return value if all(isinstance(group, list) for group in value) else [value]


def read_layer(path: Path) -> tuple[dict[str, Any], bool]:
    """The analyst's file: its topic tables and whether it replaces the shipped list."""
    data = load_toml(path)
    unknown = sorted(set(data) - LAYER_KEYS)
    if unknown:
        raise ConfigError(f"{path}: unknown top-level key(s) {', '.join(unknown)} "
                          f"(allowed: [topics.<slug>] tables and replace = true)")
    replace = data.get("replace", False)
    if not isinstance(replace, bool):
        raise ConfigError(f"{path}: 'replace' must be true or false")
    topics = data.get("topics", {})
    if not isinstance(topics, dict):
        raise ConfigError(f"{path}: 'topics' must be [topics.<slug>] tables")
    if replace:
        require_table(data, "topics", path)
    return topics, replace


def _merge(slug: str, shipped: dict, mine: dict, where: str) -> tuple[dict, list, list]:
    """A shipped topic with the analyst's additions and removals: (body, added, removed)."""
    refused = sorted(set(mine) & set(_TERM_DEFAULTS))
    if refused:
        raise ConfigError(f"{where}: {', '.join(refused)} cannot be set for a shipped topic "
                          f"(it would change the shipped terms): set it on the added terms, "
                          f"e.g. {{ term = \"…\", near = 1 }}")
    remove = mine.get("remove", [])
    if not isinstance(remove, list) or not all(isinstance(r, str) for r in remove):
        raise ConfigError(f"{where}: 'remove' must be a list of the shipped terms to take out")
    body = copy.deepcopy(shipped)
    terms = body.get("terms", [])
    removed = []
    for written in remove:
        kept = [t for t in terms if term_text(t) != term_text(written)]
        if len(kept) == len(terms):
            raise ConfigError(f"{where}: 'remove' names {written!r}, which is not a term of "
                              f"the shipped topic {slug!r} (its terms: "
                              f"{', '.join(map(_label, shipped.get('terms', [])))})")
        removed += [_label(t) for t in terms if t not in kept]
        terms = kept
    added = mine.get("terms") or []
    if not isinstance(added, list):
        raise ConfigError(f"{where}: 'terms' must be a list of strings or term tables")
    for key, value in mine.items():
        if key in ("remove", "terms"):
            continue
        if key in _APPENDED:
            if not isinstance(value, list):
                raise ConfigError(f"{where}: '{key}' must be a list of strings or term tables")
            body[key] = body.get(key, []) + value
        elif key == "requires":
            body[key] = _groups(body.get(key, [])) + (_groups(value) or [value])
        else:
            body[key] = value
    body["terms"] = terms + added
    if not body["terms"]:
        raise ConfigError(f"{where}: no term would be left: disable the topic instead "
                          f"(disabled = true)")
    return body, [_label(t) for t in added], removed


def load_effective_watchlist(layer: str | Path | None,
                             shipped_path: Path = DEFAULT_WATCHLIST) -> EffectiveWatchlist:
    """The shipped watchlist with the analyst's file `layer` over it (None: shipped only)."""
    shipped = require_table(load_toml(shipped_path), "topics", shipped_path)
    layer = Path(layer) if layer else None
    mine, replace = read_layer(layer) if layer else ({}, False)
    bodies: dict[str, dict] = {}
    origins: dict[str, TopicOrigin] = {}
    if not replace:
        bodies = {slug: body for slug, body in shipped.items()}
        origins = {slug: TopicOrigin(slug, SHIPPED, "", ()) for slug in shipped}
    for slug, body in mine.items():
        where = f"{layer}: [topics.{slug}]"
        if not isinstance(body, dict):
            raise ConfigError(f"{where}: must be a table")
        disabled = body.get("disabled", False)
        if not isinstance(disabled, bool):
            raise ConfigError(f"{where}: 'disabled' must be true or false")
        if replace and {"disabled", "remove"} & set(body):
            raise ConfigError(f"{where}: 'disabled' and 'remove' change the shipped watchlist, "
                              f"which a file with replace = true does not use")
        if {"disabled", "remove"} & set(body) and slug not in shipped:
            raise ConfigError(f"{where}: 'disabled' and 'remove' apply to shipped topics, and "
                              f"{slug!r} is not one (shipped: {', '.join(sorted(shipped))})")
        if disabled:
            if set(body) - {"disabled"}:
                raise ConfigError(f"{where}: a disabled topic takes no other key")
            del bodies[slug]
            origins[slug] = TopicOrigin(slug, DISABLED, str(shipped[slug].get(
                "description", "")), ())
        elif slug in bodies:
            merged, added, removed = _merge(slug, bodies[slug], body, where)
            bodies[slug] = merged
            origins[slug] = TopicOrigin(slug, BOTH, "", (), tuple(added), tuple(removed))
        else:
            bodies[slug] = {k: v for k, v in body.items() if k != "disabled"}
            origins[slug] = TopicOrigin(slug, YOURS, "", ())
    topics = {}
    for slug, body in bodies.items():
        where = f"{layer if origins[slug].origin != SHIPPED else shipped_path}: [topics.{slug}]"
        topics[slug] = parse_topic(slug, body, where)
    watchlist = Watchlist(topics)
    described = tuple(
        origin if origin.origin == DISABLED else TopicOrigin(
            slug, origin.origin, str(bodies[slug].get("description", "")),
            tuple(watchlist.topics[slug]), origin.added, origin.removed)
        for slug, origin in origins.items())
    return EffectiveWatchlist(watchlist, described, layer, replace)
