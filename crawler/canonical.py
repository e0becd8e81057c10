"""The URL an article is stored under: where redirects ended, or its declared canonical URL.

Scrapy's RedirectMiddleware already leaves the final URL in `response.url`. On top of that a
page's `<link rel="canonical">` is honoured when it points to the same outlet (its own
domains, http(s)): a feed link with tracking parameters and the clean article URL are then
stored once. A canonical link to another site is ignored, so a hostile page cannot claim
another outlet's URL. URL normalisation (tracking parameters, default ports) belongs to
`crawler.urls.canonicalize_url` and is applied on top of what this returns.
"""
from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml import html as lxml_html
from scrapy.http import Response

from crawler.registry.sources import Source

_HEAD_BYTES = 256 * 1024   # <link rel=canonical> lives in <head>: no need to parse whole pages
_BODY_START = re.compile(rb"<body[\s>/]", re.IGNORECASE)


def _head(body: bytes) -> bytes:
    """The page before its `<body>` (at most _HEAD_BYTES): all of the head, a few KB, so the
    page is not parsed a second time here (its extraction parses it in a worker). A canonical
    link inside the body is not one (HTML allows it only in the head) and is not read."""
    start = _BODY_START.search(body, 0, _HEAD_BYTES)
    return body[:start.start()] if start else body[:_HEAD_BYTES]


def declared_canonical(body: bytes, base_url: str) -> str | None:
    """The absolute href of the page's first `<link rel="canonical">`, if any."""
    try:
        tree = lxml_html.fromstring(_head(body))
    except (ValueError, TypeError, lxml_html.etree.ParserError):
        return None
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        href = (link.get("href") or "").strip()
        if "canonical" in rel and href:
            return urljoin(base_url, href)
    return None


def article_url(response: Response, source: Source) -> str:
    """The final URL after redirects, replaced by a same-outlet canonical URL when declared."""
    canonical = declared_canonical(response.body, response.url)
    if canonical and source.on_own_origin(canonical):
        return canonical.split("#", 1)[0]
    return response.url
