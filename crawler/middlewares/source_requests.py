"""Per-outlet request settings: download slot, delay, concurrency and user agent.

Politeness is per outlet, not per host: every request of a source goes to the Scrapy download
slot named after its slug (request meta `download_slot`), and `DOWNLOAD_SLOTS` gives that slot
the source's `download_delay` and `concurrency`. Some outlets refuse a browser user agent and
serve a plain client (or the reverse), so a source may set `user_agent`; the downloader
middleware here applies it to the source's requests and to the robots.txt requests of its
hosts, so that robots.txt is read as the agent that will crawl (and is always obeyed).
"""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.settings import BaseSettings

from crawler.registry.sources import Source

SOURCE_META = "rasd_source"


def download_slots(sources: list[Source], with_delays: bool = True) -> dict[str, dict[str, Any]]:
    """DOWNLOAD_SLOTS entries for the sources that override delay or concurrency."""
    slots: dict[str, dict[str, Any]] = {}
    for source in sources:
        slot: dict[str, Any] = {}
        if source.concurrency is not None:
            slot["concurrency"] = source.concurrency
        if with_delays and source.download_delay is not None:
            slot["delay"] = float(source.download_delay)
        if slot:
            slots[source.slug] = slot
    return slots


def apply_download_slots(settings: BaseSettings, sources: list[Source]) -> None:
    """Merge the registry's slots into DOWNLOAD_SLOTS (explicit -s entries win)."""
    merged = download_slots(sources, with_delays=not settings.getbool("RASD_RECORDING_REPLAY"))
    merged.update(settings.getdict("DOWNLOAD_SLOTS"))
    settings.set("DOWNLOAD_SLOTS", merged, priority="spider")


def request_meta(source: Source) -> dict[str, Any]:
    """Meta for every request made on behalf of `source`."""
    meta: dict[str, Any] = {SOURCE_META: source.slug, "download_slot": source.slug}
    if source.download_delay is not None:
        # AutoThrottle would otherwise lower the delay towards DOWNLOAD_DELAY.
        meta["autothrottle_dont_adjust_delay"] = True
    return meta


class SourceUserAgentMiddleware:
    """Sets a source's own `user_agent` on its requests and on its hosts' robots.txt requests.

    Runs before Scrapy's UserAgentMiddleware, which only fills in a missing User-Agent.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self._by_slug: dict[str, str] | None = None
        self._by_host: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _index(self) -> dict[str, str]:
        if self._by_slug is None:
            sources = getattr(self.crawler.spider, "sources", None) or []
            self._by_slug = {s.slug: s.user_agent for s in sources
                             if isinstance(s, Source) and s.user_agent is not None}
            for source in sources:
                if source.slug in self._by_slug:
                    for url in (source.homepage, *source.feeds, *source.sitemaps):
                        host = urlsplit(url).netloc.lower()
                        self._by_host.setdefault(host, self._by_slug[source.slug])
        return self._by_slug

    def process_request(self, request: Request, spider=None) -> None:
        by_slug = self._index()
        if not by_slug:
            return None
        agent = by_slug.get(request.meta.get(SOURCE_META))
        if agent is None and request.meta.get("dont_obey_robotstxt"):  # a robots.txt fetch
            agent = self._by_host.get(urlsplit(request.url).netloc.lower())
        if agent is not None and b"User-Agent" not in request.headers:
            request.headers[b"User-Agent"] = agent
        return None
