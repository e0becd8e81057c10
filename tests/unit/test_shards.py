"""Outlet shards (`rasd crawl --shard K/N`): stable, complete, disjoint; bad K/N refused."""
from __future__ import annotations

import zlib
from types import SimpleNamespace

import pytest

from crawler.registry.shards import in_shard, parse_shard, shard_of
from rasd.config import ConfigError
from tests.conftest import run_rasd

SLUGS = [f"outlet{n}" for n in range(200)] + ["aljazeera", "alwasat", "libyaobserver"]


@pytest.mark.parametrize("text, expected", [("1/1", (1, 1)), ("3/16", (3, 16)),
                                            (" 16 / 16 ", (16, 16))])
def test_a_shard_is_k_of_n(text, expected):
    assert parse_shard(text) == expected


@pytest.mark.parametrize("text", ["0/4", "5/4", "4", "a/b", "-1/4", "1/0", ""])
def test_a_bad_shard_is_one_line(text):
    with pytest.raises(ConfigError, match=r"^--shard: expected K/N .*"):
        parse_shard(text)


def test_every_outlet_is_in_exactly_one_shard():
    sources = [SimpleNamespace(slug=s) for s in SLUGS]
    shards = [in_shard(sources, (k, 7)) for k in range(1, 8)]
    assert sorted(s.slug for shard in shards for s in shard) == sorted(SLUGS)
    assert all(shards)   # 203 outlets leave no shard of 7 empty
    assert in_shard(sources, None) == sources


def test_the_shard_of_an_outlet_is_its_slug_crc32_and_never_changes():
    assert shard_of("aljazeera", 16) == zlib.crc32(b"aljazeera") % 16 + 1
    assert shard_of("aljazeera", 16) == 8   # the same on every machine and every run


def test_rasd_crawl_refuses_a_bad_shard_in_one_line(tmp_path):
    result = run_rasd("crawl", "--db", str(tmp_path / "rasd.db"), "--shard", "5/4",
                      check=False)
    assert result.returncode == 1
    assert result.stderr == ("Error: --shard: expected K/N with 1 <= K <= N (e.g. 3/16), "
                             "got '5/4'\n")
    assert not (tmp_path / "rasd.db").exists()
