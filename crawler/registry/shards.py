"""Outlet shards: the unit of work of crawl workers (`rasd crawl --shard K/N`).

A source belongs to shard K of N when the CRC-32 of its slug, mod N, is K-1. The hash is
stable across processes and machines (Python's `hash()` of a str is not), so every worker and
the scheduler agree on which outlets a shard holds, and adding an outlet moves no other one.
"""
from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from typing import TypeVar

from rasd.config import ConfigError

_SHARD = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")
SourceT = TypeVar("SourceT")


def parse_shard(text: str) -> tuple[int, int]:
    """'K/N' as (K, N) with 1 <= K <= N; a one-line ConfigError otherwise."""
    found = _SHARD.match(str(text))
    if not found or not 1 <= int(found[1]) <= int(found[2]):
        raise ConfigError(f"--shard: expected K/N with 1 <= K <= N (e.g. 3/16), got {text!r}")
    return int(found[1]), int(found[2])


def shard_of(slug: str, count: int) -> int:
    """The shard (1..count) that outlet `slug` belongs to."""
    return zlib.crc32(slug.encode("utf-8")) % count + 1


def in_shard(sources: Sequence[SourceT], shard: tuple[int, int] | None) -> list[SourceT]:
    """The sources of `shard` (K, N), all of them when `shard` is None."""
    if shard is None:
        return list(sources)
    number, count = shard
    return [source for source in sources if shard_of(source.slug, count) == number]
