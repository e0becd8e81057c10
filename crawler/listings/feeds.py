"""Reading RSS 2.0, RSS 1.0/RDF and Atom feeds into article links, with feedparser.

feedparser copes with the feeds outlets really serve (wrong encodings, stray entities, broken
XML); a feed it cannot read at all raises `FeedError` so the spider can log it and go on.
"""
from __future__ import annotations

import calendar
import html
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urljoin

import feedparser

from crawler.listings.limits import BadListing, decompressed

# feedparser flags these, but the feed was read correctly all the same.
_HARMLESS = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)


class FeedError(Exception):
    """The document is not a feed feedparser can read."""


@dataclass(frozen=True)
class Link:
    """An article link found in a feed or sitemap, with what the listing says about it."""

    url: str
    title: str | None = None
    published: str | None = None   # ISO 8601 UTC


def _title(value: str | None) -> str | None:
    """Outlets double-escape titles (`&amp;quot;`): feedparser undoes one level, this the other."""
    if not value:
        return None
    return " ".join(html.unescape(value).split()) or None


def _iso(parsed) -> str | None:
    if not parsed:
        return None
    moment = datetime.fromtimestamp(calendar.timegm(parsed), timezone.utc)
    return moment.isoformat(timespec="seconds")


@dataclass(frozen=True)
class ParsedFeed:
    """The links read from a feed, and what was wrong with it if it was not well-formed."""

    links: list[Link]
    problem: str | None = None


def parse_feed(body: bytes, base_url: str, content_type: str | None = None,
               max_size: int = 0) -> ParsedFeed:
    """Article links of a feed, absolute, in feed order; a damaged feed yields what it can.

    A gzipped feed is expanded to at most `max_size` bytes. Entities are never expanded into a
    bomb: expat stops at its amplification limit and feedparser falls back to its loose parser,
    which leaves them as written.
    """
    try:
        body = decompressed(body, max_size)
    except BadListing as exc:
        raise FeedError(f"unreadable feed: {exc}") from None
    headers = {"content-location": base_url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(body, response_headers=headers)
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        reason = parsed.get("bozo_exception") or "no feed entries"
        raise FeedError(f"unreadable feed: {reason}")
    links = []
    for entry in parsed.entries:
        href = entry.get("link") or next(
            (ln.get("href") for ln in entry.get("links", []) if ln.get("href")), None)
        if not href:
            continue
        published = entry.get("published_parsed") or entry.get("updated_parsed")
        links.append(Link(urljoin(base_url, href.strip()), _title(entry.get("title")),
                          _iso(published)))
    problem = None
    if parsed.bozo and not isinstance(parsed.get("bozo_exception"), _HARMLESS):
        problem = str(parsed.get("bozo_exception") or "malformed feed")
    return ParsedFeed(links, problem)
