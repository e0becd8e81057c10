"""A hostile outlet on loopback: every way a web server can hurt a crawler, on one server.

`HostileOutlet` fills a FixtureServer with two good articles, a good feed that also links off
its origins, and one listing per fault: error statuses (with Retry-After), a hang, a drip, a
truncated body, malformed, empty, HTML and entity-bomb feeds, sitemap index loops and an
endless chain of indexes, gzip bombs (as a `.xml.gz` file and as Content-Encoding), redirect
loops, redirects to another port, another host name and `file:`, a 50 MiB page, NUL bytes and a
huge title. A second server (`elsewhere`, another port of the same host) must never be asked
for anything. The bombs are streamed, so neither the server nor the test holds them.
"""
from __future__ import annotations

import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rasd.devsite.outlets import TEXTS, article_page, rss_document
from rasd.devsite.server import FixtureServer, Reply

MIB = 1024 * 1024
BOMB_BYTES = 2048 * MIB   # what each gzip bomb expands to: far over any sane limit
_ZEROS_MEMBER_BYTES = 64 * MIB


def _gzip_member(size: int) -> bytes:
    """One gzip member holding `size` zero bytes (about 1/1000 of it compressed)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(MIB)
    out = [compressor.compress(zeros) for _ in range(size // MIB)]
    return b"".join(out) + compressor.flush()


_MEMBER = _gzip_member(_ZEROS_MEMBER_BYTES)


def gzip_bomb(prefix: bytes = b"") -> Iterator[bytes]:
    """A gzip stream expanding to `prefix` + BOMB_BYTES zeros, written member by member (gzip
    readers join members): about 2 MB on the wire, never held whole by anyone."""
    yield _gzip_prefix(prefix)
    for _ in range(BOMB_BYTES // _ZEROS_MEMBER_BYTES):
        yield _MEMBER


def _gzip_prefix(prefix: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    return compressor.compress(prefix) + compressor.flush()


@dataclass
class Fault:
    """One hostile listing or page, and the words of the one log line its failure must give."""

    path: str
    kind: str                 # "feed", "sitemap" or "article"
    logged: str | None        # a fragment of its one-line error (None: it fails silently)


@dataclass
class HostileOutlet:
    """The hostile server, the server it must never reach, and what a crawl must store."""

    server: FixtureServer
    elsewhere: FixtureServer
    faults: list[Fault] = field(default_factory=list)
    expected: dict[str, str] = field(default_factory=dict)   # URL -> paragraph stored
    released: threading.Event = field(default_factory=threading.Event)

    def reply(self, fault: Fault, reply: Reply) -> None:
        self.faults.append(fault)
        self.server.overrides[fault.path] = reply

    def registry(self, path: Path, **extra: str) -> Path:
        base = self.server.base_url
        feeds = ["/rss.xml", *(f.path for f in self.faults if f.kind == "feed")]
        sitemaps = [f.path for f in self.faults if f.kind == "sitemap"]
        lines = ["[sources.hostile]", 'name = "منفذ معاد"', f'homepage = "{base}/"',
                 "feeds = [" + ", ".join(f'"{base}{p}"' for p in feeds) + "]",
                 "sitemaps = [" + ", ".join(f'"{base}{p}"' for p in sitemaps) + "]",
                 "allow_private = true", *(f"{k} = {v}" for k, v in extra.items())]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    def hang(self) -> Iterator[bytes]:
        yield b"<?xml version='1.0'?><rss version='2.0'><channel>"
        self.released.wait()

    def drip(self) -> Iterator[bytes]:
        """One byte at a time, for ever (until the test ends): a slowloris in reverse."""
        while not self.released.wait(0.2):
            yield b" "


def build(server: FixtureServer, elsewhere: FixtureServer) -> HostileOutlet:
    """Every fault on `server`; `elsewhere` is the port nobody may reach."""
    outlet = HostileOutlet(server, elsewhere)
    base, other = server.base_url, elsewhere.base_url
    other_host = base.replace("127.0.0.1", "localhost")   # same port, another host name
    html = {"Content-Type": "text/html; charset=utf-8"}
    rss = {"Content-Type": "application/rss+xml; charset=utf-8"}
    xml = {"Content-Type": "application/xml"}

    def item(url: str, title: str = "خبر") -> str:
        return f"<item><title>{title}</title><link>{url}</link></item>"

    # the good: two articles, listed with links off the outlet's origins
    for n in (0, 1):
        title, paragraphs = TEXTS[n]
        server.overrides[f"/news/good-{n}.html"] = Reply(
            200, article_page(title, paragraphs).encode(), html)
        outlet.expected[f"{base}/news/good-{n}.html"] = max(paragraphs, key=len)
    for path in ("/news/good-0.html", "/news/elsewhere.html", "/admin/", "/news/x.html"):
        elsewhere.overrides[path] = Reply(200, b"<html>not yours</html>", html)
    good_items = [item(f"{base}/news/good-0.html"), item(f"{base}/news/good-1.html"),
                  item(f"{other}/news/elsewhere.html"), item(f"{other_host}/admin/"),
                  item("file:///etc/passwd"), item(f"{base}/news/to-other-port.html"),
                  item(f"{base}/news/to-other-host.html"), item(f"{base}/news/to-file.html"),
                  item(f"{base}/news/huge.html"), item(f"{base}/news/nul.html"),
                  item(f"{base}/news/redirect-loop.html")]
    server.overrides["/rss.xml"] = Reply(200, rss_document(good_items), rss)

    # pages: redirects off the origins, a loop, 50 MiB, NUL bytes
    for name, target, logged in (
            ("to-other-port", f"{other}/news/x.html", "not on the origins"),
            ("to-other-host", f"{other_host}/admin/", "not on the origins"),
            ("to-file", "file:///etc/passwd", "HTTP 302"),   # Scrapy does not follow it
            ("redirect-loop", f"{base}/news/redirect-loop.html", "redirect not followed")):
        outlet.reply(Fault(f"/news/{name}.html", "article", logged),
                     Reply(302, b"", {"Location": target}))
    outlet.reply(Fault("/news/huge.html", "article", "/news/huge.html"),
                 Reply(200, headers=html, stream=lambda: (
                     b"<html><body><p>" + bytes(MIB) for _ in range(50))))
    title, paragraphs = TEXTS[2]
    nul_page = article_page(title, paragraphs).replace("</p>", "\x00\x00</p>")
    server.overrides["/news/nul.html"] = Reply(200, nul_page.encode(), html)
    outlet.expected[f"{base}/news/nul.html"] = max(paragraphs, key=len)

    # feeds
    good_feed = rss_document([item(f"{base}/news/good-1.html")])
    outlet.reply(Fault("/feeds/500", "feed", "HTTP 500"), Reply(500, b"oops", rss))
    outlet.reply(Fault("/feeds/503", "feed", "HTTP 503"),
                 Reply(503, b"busy", {**rss, "Retry-After": "120"}))
    outlet.reply(Fault("/feeds/hang", "feed", "took longer than"),
                 Reply(200, headers=rss, stream=outlet.hang))
    outlet.reply(Fault("/feeds/drip", "feed", "took longer than"),
                 Reply(200, headers=rss, stream=outlet.drip))
    outlet.reply(Fault("/feeds/truncated", "feed", "/feeds/truncated"),
                 Reply(200, headers={**rss, "Content-Length": "100000"},
                       stream=lambda: iter([good_feed[:120]])))
    outlet.reply(Fault("/feeds/malformed", "feed", "is malformed"),
                 Reply(200, good_feed[:-20] + b"<item><", rss))
    outlet.reply(Fault("/feeds/empty", "feed", "no feed entries"), Reply(200, b"", rss))
    outlet.reply(Fault("/feeds/html", "feed", "/feeds/html"),
                 Reply(200, b"<html><body><p>not a feed</p></body></html>", html))
    laughs = '<!ENTITY a0 "ha">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 12))
    outlet.reply(Fault("/feeds/entity-bomb", "feed", None), Reply(200, (
        f'<?xml version="1.0"?><!DOCTYPE rss [{laughs}]><rss version="2.0"><channel>'
        f"<title>&a11;</title>{item(f'{base}/news/good-0.html', '&a11;')}</channel></rss>"
    ).encode(), rss))
    huge_title = "حفتر " * 200_000   # 1 MB of title
    outlet.reply(Fault("/feeds/huge-title", "feed", None),
                 Reply(200, rss_document([item(f"{base}/news/good-1.html", huge_title)]), rss))
    outlet.reply(Fault("/feeds/gzip-bomb", "feed", "/feeds/gzip-bomb"),
                 Reply(200, headers={**rss, "Content-Encoding": "gzip"}, stream=lambda: gzip_bomb(
                     b'<?xml version="1.0"?><rss version="2.0"><channel><title>')))
    outlet.reply(Fault("/feeds/redirect-loop", "feed", "/feeds/redirect-loop"),
                 Reply(302, b"", {"Location": f"{base}/feeds/redirect-loop"}))
    outlet.reply(Fault("/feeds/to-other-port", "feed", "not on the origins"),
                 Reply(301, b"", {"Location": f"{other}/rss.xml"}))
    outlet.reply(Fault("/feeds/to-other-host", "feed", "not on the origins"),
                 Reply(301, b"", {"Location": f"{other_host}/rss.xml"}))
    outlet.reply(Fault("/feeds/to-file", "feed", "/feeds/to-file"),
                 Reply(301, b"", {"Location": "file:///etc/passwd"}))

    # sitemaps
    sitemap_ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'

    def index(*children: str) -> bytes:
        locs = "".join(f"<sitemap><loc>{base}{c}</loc></sitemap>" for c in children)
        return f'<?xml version="1.0"?><sitemapindex {sitemap_ns}>{locs}</sitemapindex>'.encode()

    outlet.reply(Fault("/sitemaps/loop-a.xml", "sitemap", None),
                 Reply(200, index("/sitemaps/loop-b.xml"), xml))
    server.overrides["/sitemaps/loop-b.xml"] = Reply(200, index("/sitemaps/loop-a.xml"), xml)
    for depth in range(10):   # an endless chain: index 0 lists index 1, which lists 2...
        server.overrides[f"/sitemaps/chain-{depth}.xml"] = Reply(
            200, index(f"/sitemaps/chain-{depth + 1}.xml"), xml)
    outlet.faults.append(Fault("/sitemaps/chain-0.xml", "sitemap", None))   # logged further down
    outlet.reply(Fault("/sitemaps/bomb.xml.gz", "sitemap", "once decompressed"),
                 Reply(200, headers={"Content-Type": "application/x-gzip"},
                       stream=lambda: gzip_bomb(f"<urlset {sitemap_ns}><url><loc>".encode())))
    many = "".join(f"<url><loc>{base}/news/many-{n}.html</loc></url>" for n in range(2000))
    outlet.reply(Fault("/sitemaps/many.xml", "sitemap", "only the first"), Reply(
        200, f'<?xml version="1.0"?><urlset {sitemap_ns}>{many}</urlset>'.encode(), xml))
    return outlet
