"""A loopback outlet of N realistic article pages, for measuring crawl throughput.

Real article pages are 60-200 KB of HTML around a few KB of text: menus, "most read" boxes,
related links, comments, inline scripts and styles. Each page here is built the same way from
the seed texts, deterministically from its number: its text is sentences drawn from the
watchlist seeds (one page in three, titled with a seed title that mentions the watchlist) or
from the negatives, so every page has its own text (no two are duplicates) while they all share
a vocabulary and a day: every page falls into one big story, the worst case of story grouping.
One RSS feed lists them all.
"""
from __future__ import annotations

import json
import random
import re
from datetime import timedelta
from html import escape

from rasd.devsite.outlets import NOW, TEXTS, Outlet, rss_document
from rasd.devsite.server import FixtureServer, Reply

WATCHED = range(0, 5)        # TEXTS indexes of the seeds that mention the watchlist
UNWATCHED = range(5, 10)     # the negatives


def _sentences(indexes: range) -> list[str]:
    pool = []
    for i in indexes:
        for paragraph in TEXTS[i][1]:
            pool += [s.strip() for s in re.split(r"(?<=[.!؟?،,])\s+", paragraph)
                     if len(s.strip()) > 25]
    return pool


_POOLS = {True: _sentences(WATCHED), False: _sentences(UNWATCHED)}
_MENU = [s[:40] for s in _POOLS[False][:60]]


def _links(rng: random.Random, count: int, prefix: str) -> str:
    return "".join(f'<li><a href="/{prefix}/{rng.randrange(10**6)}.html">'
                   f"{escape(rng.choice(_MENU))}</a></li>" for _ in range(count))


def page_text(number: int) -> tuple[str, list[str]]:
    """Title and paragraphs of page `number`: its own mix of seed sentences."""
    rng = random.Random(number)
    watched = number % 3 == 0
    pool = _POOLS[watched]
    title = f"{TEXTS[rng.choice(WATCHED if watched else UNWATCHED)][0][:70]} ({number})"
    pieces = rng.sample(pool, min(len(pool) // 2, rng.randint(12, 40)))
    paragraphs = [" ".join(pieces[i:i + 3]) for i in range(0, len(pieces), 3)]
    return title, paragraphs


def bulk_page(number: int) -> bytes:
    """Page `number`: 60-200 KB of HTML, its article among the furniture of a news site."""
    rng = random.Random(-number - 1)
    title, paragraphs = page_text(number)
    target = rng.randint(60_000, 200_000)
    article = "".join(f"<p>{escape(p)}</p>\n" for p in paragraphs)
    comments = "".join(f'<div class="comment"><b>قارئ {i}</b><p>{escape(rng.choice(_MENU))}'
                       "</p></div>" for i in range(rng.randint(3, 12)))
    furniture = (f'<nav class="menu"><ul>{_links(rng, 120, "section")}</ul></nav>'
                 f'<aside class="most-read"><h3>الأكثر قراءة</h3><ul>{_links(rng, 30, "news")}'
                 f'</ul></aside>')
    head = (f'<meta charset="utf-8"><title>{escape(title)}</title>'
            f'<meta property="og:title" content="{escape(title)}">'
            f'<meta property="article:published_time" content="{NOW.date()}T08:00:00+00:00">'
            f"<style>{'.c{color:#333;margin:0 auto}' * 200}</style>")
    body = (f'<body><header>{furniture}</header><main><article><h1>{escape(title)}</h1>\n'
            f'<div class="article-body">{article}</div></article>'
            f'<section class="related"><h3>اقرأ أيضا</h3><ul>{_links(rng, 20, "news")}</ul>'
            f'</section><section class="comments">{comments}</section></main>')
    html = f'<!DOCTYPE html><html lang="ar" dir="rtl"><head>{head}</head>{body}'
    # fill up to the page's size with what real pages carry most of: menus and inline data
    filler = []
    size = len(html.encode())
    while size < target:
        if rng.random() < 0.5:
            block = f'<div class="more"><ul>{_links(rng, 40, "tag")}</ul></div>'
        else:
            block = ("<script>window.__data=" + json.dumps(
                [{"id": rng.randrange(10**9), "t": rng.choice(_MENU)} for _ in range(60)],
                ensure_ascii=False) + ";</script>")
        filler.append(block)
        size += len(block.encode())
    return (html + "".join(filler) + "<footer>جميع الحقوق محفوظة</footer></body></html>"
            ).encode()


def bulk_outlet(server: FixtureServer, pages: int, first: int = 0,
                slug: str = "bulk") -> Outlet:
    """`pages` article pages on `server` (pages `first`, `first`+1, …: outlets made from
    different ranges share no text), all listed in one RSS feed at /feed.xml."""
    outlet = Outlet(slug, server, {"feeds": f'["{server.url("/feed.xml")}"]'})
    items = []
    for number in range(first, first + pages):
        path = f"/news/{number}.html"
        server.overrides[path] = Reply(200, bulk_page(number),
                                       {"Content-Type": "text/html; charset=utf-8"})
        published = (NOW - timedelta(minutes=number % 600)).strftime("%a, %d %b %Y %H:%M:%S +0000")
        items.append(f"<item><title>{escape(page_text(number)[0])}</title>"
                     f"<link>{server.url(path)}</link><pubDate>{published}</pubDate></item>")
    server.overrides["/feed.xml"] = Reply(200, rss_document(items),
                                          {"Content-Type": "application/rss+xml"})
    return outlet
