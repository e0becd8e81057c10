"""Reading sitemaps: index files, urlsets, and Google News sitemaps with their dates.

lxml reads the XML with the same safe parser options Scrapy's own `Sitemap` uses (entities not
resolved, so no XXE; huge trees allowed); this module also reads the Google News publication
date and title that a news sitemap carries.
"""
from __future__ import annotations

from urllib.parse import urljoin

from lxml import etree

from crawler.listings.feeds import Link
from crawler.listings.limits import BadListing, decompressed
from rasd.clock import to_utc_iso

_NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


class SitemapError(Exception):
    """The document is not a sitemap."""


def parse_sitemap(body: bytes, base_url: str, max_size: int = 0) -> tuple[str, list[Link]]:
    """('sitemapindex', child sitemap links) or ('urlset', article links); a gzipped sitemap
    is expanded to at most `max_size` bytes."""
    try:
        body = decompressed(body, max_size)
    except BadListing as exc:
        raise SitemapError(f"unreadable sitemap: {exc}") from None
    parser = etree.XMLParser(recover=True, remove_comments=True, resolve_entities=False,
                             huge_tree=True)
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.LxmlError as exc:
        raise SitemapError(f"unreadable sitemap: {exc}") from None
    kind = etree.QName(root).localname if root is not None else None
    if kind not in ("sitemapindex", "urlset"):
        raise SitemapError(f"not a sitemap (root element {kind!r})")
    links = []
    for element in root:
        loc = element.findtext("{*}loc")
        if not loc:
            continue
        news = element.find(f"{_NEWS}news")
        title = news.findtext(f"{_NEWS}title") if news is not None else None
        date = news.findtext(f"{_NEWS}publication_date") if news is not None else None
        links.append(Link(urljoin(base_url, loc.strip()), title,
                          to_utc_iso(date or element.findtext("{*}lastmod"))))
    return kind, links
