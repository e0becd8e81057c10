"""Local outlets that behave like the real Arabic press, one FixtureServer each.

Each builder fills a server's canned replies (`overrides`) with what a kind of real outlet
serves: a WordPress feed with a byte order mark and double-escaped titles, a BBC-style RSS with
relative links and tracking parameters, an Atom feed whose HTTP header declares the wrong
charset, a Google News sitemap, a gzip sitemap index of 400 daily sitemaps, pages in
windows-1256 and ISO-8859-6 (charset in the header, in a <meta>, or nowhere), redirects,
canonical links, a robots.txt that disallows a section, and outlets that refuse browsers.

`Outlet.expected` maps each article URL that must be stored to a paragraph its stored text must
contain; `Outlet.never` lists paths that must never be requested.
"""
from __future__ import annotations

import gzip
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import escape

from rasd.devsite.server import FixtureServer, Reply
from rasd.devsite.site import SEEDS

NOW = datetime.fromisoformat("2026-11-22T12:00:00+00:00")   # the injected clock (RASD_NOW)
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) rasd-test-browser"
PLAIN = "rasd-plain-client/1.0"


def _texts() -> list[tuple[str, list[str]]]:
    """(title, paragraphs) of every Arabic seed and negative: distinct article texts."""
    files = sorted(SEEDS.glob("*.txt")) + sorted(
        p for p in (SEEDS / "negatives").glob("*.txt") if p.stem != "english_libya")
    texts = []
    for path in files:
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        paragraphs = [" ".join(line.split()) for line in body.splitlines()
                      if len(line.strip()) > 20]
        texts.append((" ".join(title.split())[:90], paragraphs))
    return texts


TEXTS = _texts()
# one more distinct text: two negatives' paragraphs, interleaved
TEXTS.append(("خبر من منفذ انتقائي",
              [p for pair in zip(TEXTS[6][1], TEXTS[9][1], strict=False) for p in pair]))


def encodable(text: str, codec: str) -> str:
    """`text` without the characters `codec` cannot represent (typographic quotes...)."""
    return "".join(ch for ch in text if ch.encode(codec, errors="ignore"))


def article_page(title: str, paragraphs: list[str], meta_charset: str | None = None,
                 canonical: str | None = None) -> str:
    head = [f'<meta http-equiv="Content-Type" content="text/html; charset={meta_charset}">'
            if meta_charset else "", f"<title>{escape(title)}</title>"]
    if canonical:
        head.append(f'<link rel="canonical" href="{escape(canonical)}">')
    body = "".join(f"<p>{escape(p)}</p>\n" for p in paragraphs)
    return (f'<!DOCTYPE html><html lang="ar" dir="rtl"><head>{"".join(head)}</head><body>'
            f'<nav><a href="/">الرئيسية</a></nav><article><h1>{escape(title)}</h1>\n{body}'
            f"</article><footer>جميع الحقوق محفوظة</footer></body></html>")


@dataclass
class Outlet:
    slug: str
    server: FixtureServer
    registry: dict[str, str]                       # TOML key -> TOML value (already quoted)
    expected: dict[str, str] = field(default_factory=dict)   # URL -> paragraph
    never: list[str] = field(default_factory=list)            # paths never requested

    def page(self, path: str, text_index: int, codec: str = "utf-8",
             header_charset: bool = True, meta_charset: bool = False,
             canonical: str | None = None, expect_url: str | None = None) -> None:
        """Serve article `text_index` at `path`, encoded in `codec`, and expect it stored."""
        title, paragraphs = TEXTS[text_index]
        title, paragraphs = encodable(title, codec), [encodable(p, codec) for p in paragraphs]
        html = article_page(title, paragraphs, codec if meta_charset else None, canonical)
        content_type = "text/html" + (f"; charset={codec}" if header_charset else "")
        self.server.overrides[path] = Reply(200, html.encode(codec),
                                            {"Content-Type": content_type})
        self.expected[expect_url or self.server.url(path)] = max(paragraphs, key=len)

    def toml(self) -> str:
        lines = [f"[sources.{self.slug}]", f'name = "منفذ {self.slug}"',
                 f'homepage = "{self.server.base_url}/"', "allow_private = true"]
        lines += [f"{k} = {v}" for k, v in self.registry.items()]
        return "\n".join(lines) + "\n"


def rss_document(items: list[str], prefix: bytes = b"") -> bytes:
    return prefix + ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
                     'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
                     'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
                     '<title>منفذ</title>' + "".join(items) + "</channel></rss>").encode()


def wordpress(server: FixtureServer) -> Outlet:
    """WordPress: BOM, double-escaped entities, a redirect, robots.txt disallowing /private/."""
    outlet = Outlet("wordpress", server, {"feeds": f'["{server.url("/feed/")}"]',
                                          "concurrency": "1", "download_delay": "0"})
    base = server.base_url
    items = [
        f"<item><title>حفتر &amp;#8220;يلتقي&amp;#8221; وفدا &amp;amp; أفريكوم</title>"
        f"<link>{base}/2026/11/20/first/</link><dc:creator>المحرر</dc:creator>"
        f"<pubDate>Fri, 20 Nov 2026 09:30:00 +0000</pubDate>"
        f"<content:encoded><![CDATA[<p>مقتطف</p>]]></content:encoded></item>",
        f"<item><title>خبر منقول</title><link>{base}/?p=102</link>"
        f"<pubDate>Fri, 20 Nov 2026 10:00:00 +0000</pubDate></item>",
        f"<item><title>قسم خاص</title><link>{base}/private/2026/secret/</link>"
        f"<pubDate>Fri, 20 Nov 2026 11:00:00 +0000</pubDate></item>",
    ]
    server.overrides["/feed/"] = Reply(200, rss_document(items, prefix=b"\xef\xbb\xbf"),
                                       {"Content-Type": "application/rss+xml; charset=UTF-8"})
    server.overrides["/robots.txt"] = Reply(200, b"User-agent: *\nDisallow: /private/\n",
                                            {"Content-Type": "text/plain"})
    outlet.page("/2026/11/20/first/", 0)
    # /?p=102 is a short link: a 301 to the article's permalink, which is what is stored
    server.overrides["/"] = Reply(301, b"", {"Location": f"{base}/2026/11/20/second/"})
    outlet.page("/2026/11/20/second/", 1)
    outlet.never.append("/private/2026/secret/")
    return outlet


def bbc_style(server: FixtureServer) -> Outlet:
    """BBC-style RSS: relative links with tracking parameters, an item with only a guid."""
    outlet = Outlet("bbcstyle", server, {"feeds": f'["{server.url("/arabic/rss.xml")}"]',
                                         "article_pattern": '"/arabic/articles/"'})
    items = [
        "<item><title>تقرير</title><link>/arabic/articles/c1?at_medium=RSS&amp;at_campaign=rss"
        "</link><pubDate>Sat, 21 Nov 2026 08:00:00 GMT</pubDate></item>",
        '<item><title>بلا تاريخ</title><guid isPermaLink="true">'
        f"{server.base_url}/arabic/articles/c2</guid></item>",
        "<item><title>ليس مقالا</title><link>/arabic/live/feed</link></item>",
    ]
    server.overrides["/arabic/rss.xml"] = Reply(200, rss_document(items),
                                                {"Content-Type": "text/xml"})
    outlet.page("/arabic/articles/c1", 2, canonical="/arabic/articles/c1",
                expect_url=server.url("/arabic/articles/c1"))
    # a canonical link to another site is ignored: the page keeps its own URL
    outlet.page("/arabic/articles/c2", 3, canonical="https://elsewhere.example/stolen")
    outlet.never.append("/arabic/live/feed")
    return outlet


def atom(server: FixtureServer) -> Outlet:
    """Atom with xml:base and relative links, served with a wrong charset in the header;
    pages in ISO-8859-6 declared in the header for one, only in a <meta> for the other."""
    outlet = Outlet("atomfeed", server, {"feeds": f'["{server.url("/atom.xml")}"]'})
    body = ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" '
            f'xml:base="{server.base_url}/ar/"><title>أخبار</title>'
            '<entry><title type="html">خبر &amp;amp; تحليل</title>'
            '<link rel="alternate" href="news/a1.html"/><id>tag:a1</id>'
            '<updated>2026-11-21T10:00:00Z</updated></entry>'
            '<entry><title>خبر ثان</title><link href="news/a2.html"/><id>tag:a2</id>'
            '<updated>2026-11-21T11:00:00Z</updated></entry></feed>').encode("utf-8")
    server.overrides["/atom.xml"] = Reply(
        200, body, {"Content-Type": "application/atom+xml; charset=iso-8859-1"})
    outlet.page("/ar/news/a1.html", 4, codec="iso8859-6")
    outlet.page("/ar/news/a2.html", 5, codec="iso8859-6", header_charset=False,
                meta_charset=True)
    return outlet


def google_news(server: FixtureServer) -> Outlet:
    """Google News sitemap; pages in windows-1256, declared in the header or in a <meta>."""
    outlet = Outlet("gnews", server, {"sitemaps": f'["{server.url("/news-sitemap.xml")}"]'})
    entries = "".join(
        f"<url><loc>{server.url(path)}</loc><news:news><news:publication>"
        f"<news:name>منفذ</news:name><news:language>ar</news:language></news:publication>"
        f"<news:publication_date>2026-11-22T0{i}:00:00+02:00</news:publication_date>"
        f"<news:title>عنوان {i}</news:title></news:news></url>"
        for i, path in enumerate(["/n/1.html", "/n/2.html"], start=1))
    body = ('<?xml version="1.0" encoding="UTF-8"?><urlset '
            'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            f"{entries}</urlset>").encode()
    server.overrides["/news-sitemap.xml"] = Reply(200, body, {"Content-Type": "application/xml"})
    outlet.page("/n/1.html", 6, codec="cp1256")
    outlet.page("/n/2.html", 7, codec="cp1256", header_charset=False, meta_charset=True)
    return outlet


def daily_sitemaps(server: FixtureServer, days: int = 400) -> Outlet:
    """A gzip sitemap index of `days` daily gzip sitemaps; pages in windows-1256, no charset."""
    index_url = server.url("/sitemap-index.xml.gz")
    outlet = Outlet("daily", server, {"sitemaps": f'["{index_url}"]'})
    children = []
    for back in range(days):
        day = (NOW - timedelta(days=back)).date().isoformat()
        path = f"/sitemaps/{day}.xml.gz"
        # every other child has no <lastmod>: its date is read from its URL
        lastmod = f"<lastmod>{day}T23:59:00Z</lastmod>" if back % 2 == 0 else ""
        children.append(f"<sitemap><loc>{server.url(path)}</loc>{lastmod}</sitemap>")
        article = f"/articles/{day}/story.html"
        urlset = ('<?xml version="1.0" encoding="UTF-8"?><urlset '
                  'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                  f"<url><loc>{server.url(article)}</loc><lastmod>{day}</lastmod></url>"
                  "</urlset>")
        server.overrides[path] = Reply(200, gzip.compress(urlset.encode()),
                                       {"Content-Type": "application/x-gzip"})
        if back < 2:
            outlet.page(article, 8 + back, codec="cp1256", header_charset=False)
        else:
            outlet.never.append(path)
    index = ('<?xml version="1.0" encoding="UTF-8"?><sitemapindex '
             'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             + "".join(children) + "</sitemapindex>")
    server.overrides["/sitemap-index.xml.gz"] = Reply(
        200, gzip.compress(index.encode()), {"Content-Type": "application/x-gzip"})
    return outlet


def picky(server: FixtureServer, slug: str, user_agent: str | None) -> Outlet:
    """An outlet that answers 403 to browser user agents (robots.txt included)."""
    server.refuse_agents = re.compile("Mozilla")
    registry = {"feeds": f'["{server.url("/rss.xml")}"]'}
    if user_agent:
        registry["user_agent"] = f'"{user_agent}"'
    outlet = Outlet(slug, server, registry)
    items = [f"<item><title>خبر</title><link>{server.url('/p/1.html')}</link></item>"]
    server.overrides["/rss.xml"] = Reply(200, rss_document(items),
                                         {"Content-Type": "application/xml"})
    server.overrides["/robots.txt"] = Reply(200, b"User-agent: *\nAllow: /\n",
                                            {"Content-Type": "text/plain"})
    if user_agent:
        outlet.page("/p/1.html", 10)
    else:
        outlet.never.append("/p/1.html")
    return outlet
