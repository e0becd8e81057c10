"""An outlet with many distinct Arabic articles, each matching the watchlist: enough writes to
fill a small disk or to be killed in the middle of a batch."""
from __future__ import annotations

from pathlib import Path

from rasd.devsite.outlets import TEXTS, article_page
from rasd.devsite.server import FixtureServer, Reply
from rasd.devsite.site import LOOPBACK_POLITENESS

_NUMBERS = ("صفر", "واحد", "اثنان", "ثلاثة", "أربعة", "خمسة", "ستة", "سبعة", "ثمانية", "تسعة")


def _spelled(n: int) -> str:
    return " ".join(_NUMBERS[int(d)] for d in str(n))


def serve_articles(server: FixtureServer, count: int) -> list[str]:
    """Serve `count` article pages and an RSS feed listing them; return their URLs."""
    urls, items = [], []
    for n in range(count):
        title, paragraphs = TEXTS[n % len(TEXTS)]
        own = (f"التقرير رقم {_spelled(n)} عن لقاء حفتر في بنغازي، وفيه تفاصيل "
               f"جديدة عن الرقم {_spelled(n * 7919 % 10007)} والمدينة {_spelled(n * 31)}.")
        path = f"/news/{n:04d}.html"
        page = article_page(f"{title} ({n})", [own, *paragraphs, own])
        server.overrides[path] = Reply(200, page.encode(),
                                       {"Content-Type": "text/html; charset=utf-8"})
        urls.append(server.url(path))
        items.append(f"<item><title>خبر {n}</title><link>{server.url(path)}</link></item>")
    feed = ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f'<title>منفذ</title>{"".join(items)}</channel></rss>')
    server.overrides["/rss.xml"] = Reply(200, feed.encode(),
                                         {"Content-Type": "application/rss+xml"})
    server.overrides["/robots.txt"] = Reply(200, b"", {"Content-Type": "text/plain"})
    return urls


def write_many_registry(path: Path, server: FixtureServer) -> Path:
    lines = ["[sources.many]", 'name = "منفذ كثير الأخبار"',
             f'homepage = "{server.base_url}/"', f'feeds = ["{server.url("/rss.xml")}"]',
             "allow_private = true",   # served on 127.0.0.1
             *(f"{k} = {v}" for k, v in LOOPBACK_POLITENESS.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
