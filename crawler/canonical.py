"""The URL an article is stored under: where redirects ended, or its declared canonical URL.

Scrapy's RedirectMiddleware already leaves the final URL in `response.url`. On top of that a
page's `<link rel="canonical">` is honoured when it points to the same outlet (its own
domains, http(s)): a feed link with tracking parameters and the clean article URL are then
stored once. A canonical link to another site is ignored, so a hostile page cannot claim
another outlet's URL. URL normalisation (tracking parameters, default ports) belongs to
`crawler.urls.canonicalize_url` and is applied on top of what this returns.
"""
from __future__ import annotations

from urllib.parse import urljoin

from lxml import html as lxml_html
from scrapy.http import Response

from crawler.registry.sources import Source

_HEAD_BYTES = 256 * 1024   # <link rel=canonical> lives in <head>: no need to parse whole pages


def declared_canonical(body: bytes, base_url: str) -> str | None:
    """The absolute href of the page's first `<link rel="canonical">`, if any."""
    try:
        tree = lxml_html.fromstring(body[:_HEAD_BYTES])
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
