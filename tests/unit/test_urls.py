"""Article URLs in-process: canonical form, slash twins in the seen-URL check, an outlet's
rewrites, and bad fetch options (the crawls behind them are in tests/e2e/test_dedup.py)."""
from __future__ import annotations

import pytest

from crawler.registry.sources import parse_source
from crawler.urls import canonicalize_url
from rasd.config import ConfigError


@pytest.mark.parametrize("url, canonical", [
    ("HTTP://Outlet.Example.COM:80/news/1/?utm_source=x&b=2&a=1#top",
     "http://outlet.example.com/news/1/?a=1&b=2"),
    ("https://outlet.example.com:443/news/1?fbclid=1&gclid=2&utm_campaign=z",
     "https://outlet.example.com/news/1"),
    ("https://outlet.example.com/news/1/amp/", "https://outlet.example.com/news/1/"),
    ("https://outlet.example.com/news/1/amp", "https://outlet.example.com/news/1"),
    ("https://outlet.example.com/news/1?amp=1&id=7", "https://outlet.example.com/news/1?id=7"),
    ("https://outlet.example.com:8443/news/1", "https://outlet.example.com:8443/news/1"),
    ("https://outlet.example.com/", "https://outlet.example.com/"),
    ("https://outlet.example.com/أخبار/ليبيا",
     "https://outlet.example.com/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/%D9%84%D9%8A%D8%A8%D9%8A%D8%A7"),
])
def test_canonicalize_url(url, canonical):
    assert canonicalize_url(url) == canonical
    assert canonicalize_url(canonical) == canonical


def test_slash_twins_are_one_url_to_the_seen_check(store_target):
    from crawler.seen import SeenUrls
    from rasd.store.database import open_store
    from rasd.text.urls import slash_twin

    assert slash_twin("https://o.example/news/1/") == "https://o.example/news/1"
    assert slash_twin("https://o.example/news/1?a=1") == "https://o.example/news/1/?a=1"
    assert slash_twin("https://o.example/") is None
    from rasd.store import statements

    store = open_store(store_target)
    with store.transaction() as conn:
        statements.insert(conn, "articles", {"url": "https://o.example/news/1/",
                                             "fetched_at": "2026-11-20"})
    seen = SeenUrls(store)
    assert "https://o.example/news/1" in seen and "https://o.example/news/1/" in seen
    assert "https://o.example/news/2" not in seen


def test_outlet_url_rewrites_map_mobile_and_amp_twins(tmp_path):
    source = parse_source("outlet", {
        "name": "مثال", "homepage": "https://www.example.com/",
        "feeds": ["https://www.example.com/rss"],
        "url_rewrites": [[r"^https://m\.example\.com/", "https://www.example.com/"],
                         [r"/amp(/news/)", r"\1"]],
    }, tmp_path / "sources.toml")
    rewrites = source.fetch_options.rewrites
    assert canonicalize_url("https://M.example.com/news/5?utm_source=x", rewrites) == \
        "https://www.example.com/news/5"
    assert canonicalize_url("https://www.example.com/amp/news/5", rewrites) == \
        "https://www.example.com/news/5"


@pytest.mark.parametrize("key, value, message", [
    ("url_rewrites", "x", "must be a list"),
    ("url_rewrites", [["(", "x"]], "invalid regex"),
    ("url_rewrites", [["a"]], "pairs of strings"),
    ("conditional_get", "no", "true or false"),
    ("refetch_hours", 0, "positive number"),
    ("refetch_hours", "24", "positive number"),
])
def test_bad_fetch_options_are_config_errors(tmp_path, key, value, message):
    table = {"name": "مثال", "homepage": "https://example.com/",
             "feeds": ["https://example.com/rss"], key: value}
    with pytest.raises(ConfigError, match=message):
        parse_source("outlet", table, tmp_path / "sources.toml")
