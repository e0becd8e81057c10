"""Keeps every request on the origins of the outlet it is made for, and off private networks.

A downloader middleware, modelled on Scrapy's OffsiteMiddleware: it sees every request the
downloader is asked for, the redirects too (RedirectMiddleware schedules a new request, which
comes back through here), so a feed link, a sitemap entry or a `Location:` header cannot send
the crawler to another scheme, host or port. A request made for an outlet (meta `rasd_source`)
must be on that outlet's origins; one made for none (robots.txt) on some outlet's.

An outlet whose host is, or resolves to, a loopback, private, link-local or otherwise
non-public address is refused unless its registry entry says `allow_private = true`: a public
name must not lead the crawler into the operator's network. Each host is resolved once per crawl.
"""
from __future__ import annotations

import ipaddress
import socket

from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.threads import deferToThread

from crawler.middlewares.source_requests import SOURCE_META
from crawler.registry.sources import Source


class RefusedRequest(IgnoreRequest):
    """A request outside its outlet's origins, or to a private address it may not use."""


def non_public(address: str) -> bool:
    """True for an address that is not on the public internet (loopback, private, link-local,
    shared, reserved, multicast, unspecified), IPv4-mapped IPv6 included."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def _resolve(host: str) -> list[str]:
    """Every address `host` resolves to (none when it does not resolve)."""
    try:
        return sorted({info[4][0] for info in socket.getaddrinfo(host, None)})
    except (socket.gaierror, UnicodeError):
        return []   # the download fails on its own, with its DNS error


class OwnOriginsMiddleware:
    """Refuses (IgnoreRequest) requests off their outlet's origins or onto private addresses."""

    def __init__(self, crawler):
        self.crawler = crawler
        self._addresses: dict[str, list[str]] = {}
        # a replay of a recording answers from its cache: no name is looked up, none is needed
        self.check_addresses = not crawler.settings.getbool("RASD_RECORDING_REPLAY")

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_request(self, request: Request, spider=None) -> None:
        sources = [s for s in getattr(self.crawler.spider, "sources", None) or []
                   if isinstance(s, Source)]
        if not sources:   # a spider that crawls no registry (replay reads files)
            return None
        slug = request.meta.get(SOURCE_META)
        owners = [s for s in sources if (slug is None or s.slug == slug)
                  and s.on_own_origin(request.url)]
        if not owners:
            self._refuse("off_origin", f"not on the origins of {slug or 'any outlet'}")
        if not self.check_addresses or any(s.allow_private for s in owners):
            return None
        host = urlparse_cached(request).hostname or ""
        private = [a for a in await self._addresses_of(host) if non_public(a)]
        if private:
            self._refuse("private", f"{host} is a private address ({private[0]}); the "
                         "registry entry must say allow_private = true to crawl it")
        return None

    async def _addresses_of(self, host: str) -> list[str]:
        if host not in self._addresses:
            try:
                ipaddress.ip_address(host)
                addresses = [host]
            except ValueError:
                addresses = await maybe_deferred_to_future(deferToThread(_resolve, host))
            self._addresses[host] = addresses
        return self._addresses[host]

    def _refuse(self, kind: str, reason: str) -> None:
        self.crawler.stats.inc_value(f"rasd/refused/{kind}")
        raise RefusedRequest(f"refused: {reason}")
