"""Scrapy's DNS resolver, refusing names that resolve to private addresses.

OwnOriginsMiddleware refuses an outlet on a private address before its first request, but it
resolves the name itself: a name that answers with a public address then and a private one
when Scrapy connects (DNS rebinding) would get through. This resolver is the one Scrapy
connects with (DNS_RESOLVER), so the address a connection uses is the address checked. Names
of outlets whose registry entry says `allow_private = true` are exempt.
"""
from __future__ import annotations

import logging

from scrapy.resolver import CachingThreadedResolver
from twisted.internet.error import DNSLookupError

from crawler.middlewares.origins import non_public
from crawler.registry.sources import Source


def private_allowed(sources: list[Source], host: str) -> bool:
    """True when `host` is on the origins of an outlet allowed on private addresses."""
    host = host.lower()
    return any(s.allow_private and (s.on_own_origin(f"http://{host}/")
                                    or any(h == host for h, _ in s.ports)) for s in sources)


logger = logging.getLogger(__name__)


class PublicOnlyResolver(CachingThreadedResolver):
    """CachingThreadedResolver whose answers must be public addresses.

    Scrapy builds its resolver once per process, from the CrawlerProcess (not a Crawler), so
    the registry is read from the spiders of the process's crawlers when a name is resolved.
    """

    owner = None   # the CrawlerProcess (or Crawler) that built the resolver

    @classmethod
    def from_crawler(cls, crawler, reactor):
        resolver = super().from_crawler(crawler, reactor)
        resolver.owner = crawler
        return resolver

    def sources(self) -> list[Source]:
        crawlers = getattr(self.owner, "crawlers", None) or [self.owner]
        return [s for c in crawlers
                for s in getattr(getattr(c, "spider", None), "sources", None) or []
                if isinstance(s, Source)]

    def getHostByName(self, name: str, timeout=()):
        return super().getHostByName(name, timeout).addCallback(self.checked, name)

    def checked(self, address: str, name: str) -> str:
        """`address`, or DNSLookupError when it is private and `name` may not be."""
        if non_public(address) and not private_allowed(self.sources(), name):
            # Twisted reports any failed lookup as "no results": say here what it was
            message = (f"refused: {name} resolves to a private address ({address}); the "
                       "registry entry must say allow_private = true to crawl it")
            logger.warning(message)
            raise DNSLookupError(message)
        return address
