"""The pieces behind real-outlet crawling, one by one: window, slots, agents, encodings, URLs."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from click.testing import CliRunner
from scrapy import Request
from scrapy.exceptions import DropItem
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.canonical import article_url, declared_canonical
from crawler.items import ArticleItem
from crawler.listings.feeds import Link, parse_feed
from crawler.listings.window import SitemapWindow, sitemap_date
from crawler.middlewares.source_requests import (
    SourceUserAgentMiddleware,
    download_slots,
    request_meta,
)
from crawler.recording import MANIFEST, replay_settings
from crawler.registry.sources import parse_source
from crawler.spiders.news import NewsSpider
from pipelines.language import LanguagePipeline
from rasd.cli import cli
from rasd.config import ConfigError
from rasd.text.encoding import decode_html

ARABIC = "قال المشير خليفة حفتر إن القيادة العامة تتابع الوضع في طرابلس وبنغازي عن كثب."


def source(slug="s", **extra):
    table = {"name": "م", "homepage": f"https://{slug}.example.ly/",
             "feeds": [f"https://feeds.{slug}.example.ly/rss"], **extra}
    return parse_source(slug, table, "test.toml")


@pytest.mark.parametrize("url, lastmod, day", [
    ("https://x.ly/sitemap-2026-11-20.xml", None, "2026-11-20"),
    ("https://x.ly/sitemaps/2026/11/20/index.xml.gz", None, "2026-11-20"),
    ("https://x.ly/sitemap_20261120.xml", None, "2026-11-20"),
    ("https://x.ly/sitemap.xml?yyyy=2026&mm=11&dd=20", None, "2026-11-20"),
    ("https://x.ly/sitemap-2020-01-01.xml", "2026-11-20T10:00:00+00:00", "2026-11-20"),
    ("https://x.ly/sitemap-posts.xml", None, None),
])
def test_sitemap_dates_come_from_lastmod_then_the_url(url, lastmod, day):
    found = sitemap_date(Link(url, None, lastmod))
    assert (found.isoformat() if found else None) == day


def test_sitemap_window_keeps_the_last_days_and_undated_children():
    window = SitemapWindow(datetime(2026, 11, 22, 1, tzinfo=timezone.utc), days=2)
    assert window.recent(Link("https://x.ly/s-2026-11-22.xml"))
    assert window.recent(Link("https://x.ly/s-2026-11-21.xml"))
    assert not window.recent(Link("https://x.ly/s-2026-11-20.xml"))
    assert window.recent(Link("https://x.ly/s-posts.xml"))


def test_download_slots_and_request_meta_follow_the_registry():
    slow = source("slow", download_delay=5, concurrency=1)
    plain = source("plain")
    assert download_slots([slow, plain]) == {"slow": {"concurrency": 1, "delay": 5.0}}
    assert download_slots([slow], with_delays=False) == {"slow": {"concurrency": 1}}
    assert request_meta(slow) == {"rasd_source": "slow", "download_slot": "slow",
                                  "autothrottle_dont_adjust_delay": True}
    assert request_meta(plain) == {"rasd_source": "plain", "download_slot": "plain"}


def test_news_spider_puts_registry_slots_into_download_slots(tmp_path):
    registry = tmp_path / "r.toml"
    registry.write_text('[sources.slow]\nname = "م"\nhomepage = "https://a.ly/"\n'
                        'feeds = ["https://a.ly/rss"]\ndownload_delay = 3\nconcurrency = 1\n',
                        encoding="utf-8")
    crawler = get_crawler(NewsSpider, {"RASD_SOURCES": str(registry),
                                       "DOWNLOAD_SLOTS": {"other": {"delay": 1}}})
    assert crawler.settings.getdict("DOWNLOAD_SLOTS") == {
        "slow": {"concurrency": 1, "delay": 3.0}, "other": {"delay": 1}}


def test_source_user_agent_applies_to_its_requests_and_its_robots_txt():
    picky, other = source("picky", user_agent="plain/1.0"), source("other")
    crawler = get_crawler(NewsSpider)
    crawler.spider = NewsSpider([picky, other], set())
    middleware = SourceUserAgentMiddleware.from_crawler(crawler)
    feed = Request(picky.feeds[0], meta=request_meta(picky))
    robots = Request("https://picky.example.ly/robots.txt", meta={"dont_obey_robotstxt": True})
    unrelated = Request(other.feeds[0], meta=request_meta(other))
    for request in (feed, robots, unrelated):
        middleware.process_request(request)
    assert feed.headers[b"User-Agent"] == b"plain/1.0"
    assert robots.headers[b"User-Agent"] == b"plain/1.0"
    assert b"User-Agent" not in unrelated.headers


@pytest.mark.parametrize("codec", ["cp1256", "iso8859-6"])
@pytest.mark.parametrize("where", ["header", "meta", "nowhere", "wrong header"])
def test_arabic_legacy_pages_decode_wherever_the_charset_is_declared(codec, where):
    meta = f'<meta charset="{codec}">' if where == "meta" else ""
    body = f"<html><head>{meta}<title>خبر</title></head><body><p>{ARABIC}</p></body></html>"
    header = {"header": f"text/html; charset={codec}", "wrong header": "text/html; charset=utf-8"
              }.get(where, "text/html")
    text, encoding = decode_html(body.encode(codec), header)
    assert ARABIC in text
    assert encoding in ("cp1256", "iso8859-6")


def test_a_sources_language_is_trusted_over_detection():
    stats = get_crawler().stats
    pipeline = LanguagePipeline(["ar"], stats)
    item = ArticleItem(url="u", title="", text="Short English words only.", source_language="ar")
    assert pipeline.process_item(item)["lang"] == "ar"
    detected = ArticleItem(url="v", title="", text="Short English words only.")
    with pytest.raises(DropItem):
        pipeline.process_item(detected)


def test_canonical_links_same_site_only():
    page = (b'<html><head><link rel="Canonical" href="/news/1?x=1#top"></head>'
            b"<body>x</body></html>")
    assert declared_canonical(page, "https://a.example.ly/n?utm=1") == \
        "https://a.example.ly/news/1?x=1#top"
    assert declared_canonical(b"<html><head></head></html>", "https://a.example.ly/") is None
    # only the head is read: a long page's head link counts, a link in its body does not
    long_page = page.replace(b"x</body>", b"<p>" + b"\xd9\x86\xd8\xb5 " * 50_000 + b"</p>"
                             b'<link rel="canonical" href="/elsewhere"></body>')
    assert declared_canonical(long_page, "https://a.example.ly/n") == \
        "https://a.example.ly/news/1?x=1#top"
    in_body = b'<html><head></head><BODY class="a"><link rel="canonical" href="/b"></BODY></html>'
    assert declared_canonical(in_body, "https://a.example.ly/n") is None
    own = source("a")
    response = HtmlResponse("https://a.example.ly/n?utm=1", body=page)
    assert article_url(response, own) == "https://a.example.ly/news/1?x=1"
    foreign = HtmlResponse("https://a.example.ly/n", body=b'<link rel="canonical" '
                           b'href="https://evil.example.com/n">')
    assert article_url(foreign, own) == "https://a.example.ly/n"


def test_feed_titles_lose_double_escaped_entities():
    feed = (b'<rss version="2.0"><channel><title>t</title><item><title>'
            b"\xd8\xad\xd9\x81\xd8\xaa\xd8\xb1 &amp;#8220;x&amp;#8221; &amp;amp; y</title>"
            b"<link>/a</link></item></channel></rss>")
    link = parse_feed(feed, "https://a.example.ly/rss").links[0]
    assert link.title == "حفتر “x” & y"
    assert link.url == "https://a.example.ly/a"


def test_a_broken_recording_is_a_one_line_error(tmp_path):
    (tmp_path / MANIFEST).write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError, match="not a readable recording manifest"):
        replay_settings(tmp_path)
    result = CliRunner().invoke(cli, ["replay", str(tmp_path), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 1
    assert "not a readable recording manifest" in result.output
