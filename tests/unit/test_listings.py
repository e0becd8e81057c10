"""Feed and sitemap parsing: every format the spider reads, and broken documents."""
from __future__ import annotations

import gzip

import pytest

from crawler.listings.feeds import FeedError, parse_feed
from crawler.listings.sitemaps import SitemapError, parse_sitemap

BASE = "https://outlet.example/"

RSS1 = b"""<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://outlet.example/"><title>t</title><link>https://outlet.example/</link>
    <description>d</description></channel>
  <item rdf:about="https://outlet.example/a/1"><title>&#1581;&#1601;&#1578;&#1585; 1</title>
    <link>https://outlet.example/a/1</link><dc:date>2026-11-20T08:15:00+02:00</dc:date></item>
</rdf:RDF>"""

RSS2_RELATIVE = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>x</title>
<item><title>خبر &amp; تعليق</title><link>/news/2</link>
<pubDate>Fri, 20 Nov 2026 10:00:00 GMT</pubDate></item>
<item><title>بلا رابط</title></item></channel></rss>""".encode()

ATOM = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>x</title><id>x</id><updated>2026-11-20T00:00:00Z</updated>
<entry><title>a</title><id>3</id><link rel="alternate" href="https://outlet.example/a/3"/>
<updated>2026-11-20T09:00:00Z</updated></entry></feed>"""


def test_rss1_rdf():
    feed = parse_feed(RSS1, BASE)
    assert [(link.url, link.title, link.published) for link in feed.links] == [
        ("https://outlet.example/a/1", "حفتر 1", "2026-11-20T06:15:00+00:00")]
    assert feed.problem is None


def test_rss2_relative_links_entities_and_items_without_link():
    feed = parse_feed(RSS2_RELATIVE, BASE)
    assert [(link.url, link.title) for link in feed.links] == [
        ("https://outlet.example/news/2", "خبر & تعليق")]
    assert feed.links[0].published == "2026-11-20T10:00:00+00:00"


def test_atom():
    assert [link.url for link in parse_feed(ATOM, BASE).links] == ["https://outlet.example/a/3"]


def test_not_a_feed_at_all():
    with pytest.raises(FeedError):
        parse_feed(b"<html><body>Service unavailable</body></html>", BASE)


def test_truncated_feed_reports_its_problem_and_keeps_what_it_read():
    feed = parse_feed(ATOM[: ATOM.index(b"</entry>")] + b"<entry><title>cut", BASE)
    assert feed.problem
    assert [link.url for link in feed.links] == ["https://outlet.example/a/3"]


NEWS_SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://outlet.example/a/9</loc><news:news><news:publication><news:name>x</news:name>
<news:language>ar</news:language></news:publication>
<news:publication_date>2026-11-20T12:30:00+02:00</news:publication_date>
<news:title>عنوان</news:title></news:news></url>
<url><loc>https://outlet.example/a/10</loc><lastmod>2026-11-19</lastmod></url></urlset>""".encode()

INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://outlet.example/sitemap-2026-11-20.xml</loc></sitemap></sitemapindex>"""


def test_google_news_sitemap_dates_and_titles():
    kind, links = parse_sitemap(NEWS_SITEMAP, BASE)
    assert kind == "urlset"
    assert [(link.url, link.title, link.published) for link in links] == [
        ("https://outlet.example/a/9", "عنوان", "2026-11-20T10:30:00+00:00"),
        ("https://outlet.example/a/10", None, "2026-11-19"),
    ]


def test_gzip_sitemap_index():
    kind, links = parse_sitemap(gzip.compress(INDEX), BASE)
    assert kind == "sitemapindex"
    assert [link.url for link in links] == ["https://outlet.example/sitemap-2026-11-20.xml"]


@pytest.mark.parametrize("body", [b"not xml at all", b"<html><body>x</body></html>", b""])
def test_not_a_sitemap(body):
    with pytest.raises(SitemapError):
        parse_sitemap(body, BASE)


def test_entities_are_not_resolved():
    xxe = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
           b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
           b"<url><loc>https://outlet.example/&e;</loc></url></urlset>")
    _, links = parse_sitemap(xxe, BASE)
    assert all("root:" not in link.url for link in links)
