"""What a hostile listing can make of the crawler, in-process: sizes, links, entities, origins."""
from __future__ import annotations

import gzip
import logging
import sys
import zlib

import pytest
from twisted.internet.error import DNSLookupError

from crawler.extensions.network_errors import NetworkErrorLines
from crawler.listings.feeds import FeedError, parse_feed
from crawler.listings.limits import BadListing, capped, decompressed
from crawler.listings.sitemaps import SitemapError, parse_sitemap
from crawler.middlewares.origins import non_public
from crawler.registry.sources import parse_source
from rasd.config import ConfigError

MIB = 1024 * 1024
LAUGHS = '<!ENTITY a0 "ha">' + "".join(
    f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 12))


def gzip_of_zeros(size: int, prefix: bytes = b"") -> bytes:
    """`prefix` + `size` zero bytes, gzipped chunk by chunk (never held expanded)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [compressor.compress(prefix)]
    parts += [compressor.compress(bytes(MIB)) for _ in range(size // MIB)]
    return b"".join(parts) + compressor.flush()


def test_a_gzip_bomb_stops_at_the_size_limit():
    bomb = gzip_of_zeros(256 * MIB)   # 256 KB on the wire
    with pytest.raises(BadListing, match="larger than 1048576 bytes"):
        decompressed(bomb, 1 * MIB)
    assert decompressed(gzip_of_zeros(1 * MIB), 2 * MIB) == bytes(MIB)
    assert decompressed(b"<rss/>", 1) == b"<rss/>"   # not gzip: left alone


def test_a_gzip_bomb_sitemap_or_feed_is_an_error_not_a_gigabyte():
    urlset = b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>'
    with pytest.raises(SitemapError, match="once decompressed"):
        parse_sitemap(gzip_of_zeros(64 * MIB, urlset), "http://x.example/", 4 * MIB)
    with pytest.raises(FeedError, match="once decompressed"):
        parse_feed(gzip_of_zeros(64 * MIB, b"<rss><channel>"), "http://x.example/", None, MIB)
    with pytest.raises(SitemapError, match="unreadable gzip"):
        parse_sitemap(b"\x1f\x8bnot gzip at all", "http://x.example/", MIB)


def test_a_small_gzip_sitemap_still_reads():
    body = (b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            b"<url><loc>http://x.example/news/1</loc></url></urlset>")
    kind, links = parse_sitemap(gzip.compress(body), "http://x.example/", MIB)
    assert (kind, [ln.url for ln in links]) == ("urlset", ["http://x.example/news/1"])


@pytest.mark.parametrize("body", [b"", b"   ", b"\x00\x00\x00",
                                  b"<html><body><p>not a feed</p></body></html>"])
def test_an_empty_or_html_feed_is_a_feed_error(body):
    with pytest.raises(FeedError):
        parse_feed(body, "http://x.example/", "text/html")


def test_entities_never_expand():
    feed = parse_feed((f'<?xml version="1.0"?><!DOCTYPE rss [{LAUGHS}]><rss version="2.0">'
                       "<channel><item><title>&a11;</title><link>http://x.example/n/1</link>"
                       "</item></channel></rss>").encode(), "http://x.example/")
    assert [ln.url for ln in feed.links] == ["http://x.example/n/1"]
    assert len(feed.links[0].title or "") < 100   # 10**11 "ha"s if it had expanded
    _, links = parse_sitemap((f'<?xml version="1.0"?><!DOCTYPE urlset [{LAUGHS}]>'
                              '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                              "<url><loc>http://x.example/&a11;</loc></url></urlset>").encode(),
                             "http://x.example/")
    assert all(len(ln.url) < 100 for ln in links)


def test_links_are_capped():
    assert capped(list(range(10)), 3) == [0, 1, 2]
    assert capped(list(range(10)), 0) == list(range(10))


def source(**table):
    return parse_source("s", {"name": "s", **table}, "sources.toml")


def test_origins_are_scheme_host_and_port():
    on_port = source(homepage="http://127.0.0.1:8080/", feeds=["http://127.0.0.1:8080/rss"])
    assert on_port.on_own_origin("http://127.0.0.1:8080/news/1")
    assert not on_port.on_own_origin("http://127.0.0.1:8081/news/1")   # another port
    assert not on_port.on_own_origin("http://127.0.0.1/news/1")
    assert not on_port.on_own_origin("http://localhost:8080/news/1")   # another host name
    assert not on_port.on_own_origin("file:///etc/passwd")
    assert not on_port.on_own_origin("ftp://127.0.0.1:8080/x")
    web = source(homepage="https://www.outlet.example/", feeds=["https://www.outlet.example/f"],
                 allowed_domains=["cdn.example"])
    assert web.on_own_origin("https://www.outlet.example/a")
    assert web.on_own_origin("http://www.outlet.example:80/a")     # http -> https upgrades
    assert web.on_own_origin("https://img.cdn.example/a")
    assert not web.on_own_origin("https://www.outlet.example:8443/admin")
    assert not web.on_own_origin("http://www.outlet.example:bad/")
    assert not web.on_own_origin("https://cdn.example.evil.example/")


def test_allow_private_is_explicit_and_typed():
    assert source(homepage="http://127.0.0.1:9/", feeds=["http://127.0.0.1:9/f"]
                  ).allow_private is False
    assert source(homepage="http://127.0.0.1:9/", feeds=["http://127.0.0.1:9/f"],
                  allow_private=True).allow_private is True
    with pytest.raises(ConfigError, match="'allow_private' must be true or false"):
        source(homepage="http://x.example/", feeds=["http://x.example/f"], allow_private="yes")


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "192.168.0.1", "172.16.5.4",
                                     "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1",
                                     "fe80::1", "fc00::1", "::ffff:127.0.0.1", "224.0.0.1"])
def test_private_addresses(address):
    assert non_public(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700::6810:84e5", "8.8.8.8"])
def test_public_addresses(address):
    assert not non_public(address)


def record_with(exc: BaseException) -> logging.LogRecord:
    try:
        raise exc
    except type(exc):
        info = sys.exc_info()
    return logging.LogRecord("scrapy.downloadermiddlewares.robotstxt", logging.ERROR, __file__,
                             1, "Error downloading %(request)s: %(f_exception)s",
                             ({"request": "<GET https://x.example/rss>", "f_exception": exc},),
                             info)


def test_network_errors_lose_their_traceback_bugs_keep_it():
    lines = NetworkErrorLines((DNSLookupError,))
    network = record_with(DNSLookupError("x.example"))
    assert lines.filter(network) and network.exc_info is None
    assert "robots.txt not read" in network.getMessage()
    assert "\n" not in logging.Formatter().format(network)
    bug = record_with(KeyError("oops"))
    assert lines.filter(bug) and bug.exc_info is not None
    assert "Traceback" in logging.Formatter().format(bug)


def test_the_resolver_refuses_private_answers_unless_the_outlet_allows_them():
    from types import SimpleNamespace

    from twisted.internet.error import DNSLookupError

    from crawler.resolver import PublicOnlyResolver, private_allowed
    lan = source(homepage="http://intranet.example:8080/",
                 feeds=["http://intranet.example:8080/f"], allow_private=True)
    web = source(homepage="https://news.example/", feeds=["https://news.example/f"])
    assert private_allowed([lan, web], "intranet.example")
    assert not private_allowed([lan, web], "news.example")
    resolver = PublicOnlyResolver.__new__(PublicOnlyResolver)
    resolver.owner = SimpleNamespace(crawlers=[SimpleNamespace(spider=SimpleNamespace(
        sources=[lan, web]))])
    assert resolver.checked("93.184.216.34", "news.example") == "93.184.216.34"
    assert resolver.checked("10.0.0.7", "intranet.example") == "10.0.0.7"
    with pytest.raises(DNSLookupError, match="news.example resolves to a private address"):
        resolver.checked("127.0.0.1", "news.example")   # rebound after the first check
