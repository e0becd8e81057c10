"""Caps on what a listing may grow into: its decompressed size and its number of links.

A listing is input the outlet controls. A 1 MB `.xml.gz` can expand to gigabytes, and a feed
can name a million links; the crawl must read neither whole. Decompression stops at the same
limit Scrapy's own HttpCompressionMiddleware applies (DOWNLOAD_MAXSIZE), with Scrapy's
`gunzip(max_size=...)`, as its SitemapSpider does.
"""
from __future__ import annotations

import struct
import zlib

from scrapy.utils.gz import gunzip

GZIP_MAGIC = b"\x1f\x8b"


class BadListing(Exception):
    """The listing is not readable gzip data, or is larger than the size limit once decompressed."""


def decompressed(body: bytes, max_size: int) -> bytes:
    """`body`, gunzipped when it is gzip data, never more than `max_size` bytes (0: no cap)."""
    if body[:2] != GZIP_MAGIC:
        return body
    try:
        return gunzip(body, max_size=max_size)
    except (OSError, EOFError, struct.error, zlib.error) as exc:
        raise BadListing(f"unreadable gzip data: {exc}") from None
    except ValueError:   # Scrapy's _DecompressionMaxSizeExceeded
        raise BadListing(f"larger than {max_size} bytes once decompressed") from None


def capped(links: list, limit: int) -> list:
    """The first `limit` links (all of them when `limit` is 0)."""
    return links[:limit] if limit > 0 else links


def listing_max_size(response, settings) -> int:
    """The most a listing may expand to: the size limit of its download (Scrapy's
    `download_maxsize` meta, else DOWNLOAD_MAXSIZE), as Scrapy's SitemapSpider does."""
    return response.meta.get("download_maxsize", settings.getint("DOWNLOAD_MAXSIZE"))
