"""The `probe` spider behind `rasd sources check --online`: is each listing alive and useful?

For every feed and sitemap of every source (enabled or not) it records the HTTP status, how
many article links the listing gives, the age of the newest one, and whether the newest
articles (RASD_PROBE_ARTICLES of them) extract as Arabic text. A sitemap index is judged by its
most recent child sitemaps. It obeys robots.txt and uses the same per-source user agent and
download slots as a crawl; it stores nothing.
"""
from __future__ import annotations

from datetime import date

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.listings.feeds import FeedError, parse_feed
from crawler.listings.limits import listing_max_size
from crawler.listings.probe import ListingProbe, article_is_arabic, failure_label
from crawler.listings.sitemaps import SitemapError, parse_sitemap
from crawler.listings.window import SitemapWindow, sitemap_date
from crawler.middlewares.source_requests import apply_download_slots, request_meta
from crawler.registry.sources import Source, load_sources
from rasd.clock import moment_or_now

_CHILD_SITEMAPS = 2
_ERROR_STATUSES = list(range(400, 600))   # redirects are still followed


class ProbeSpider(scrapy.Spider):
    name = "probe"
    custom_settings = {"ITEM_PIPELINES": {}, "EXTENSIONS": {"crawler.extensions.runlog.CrawlRunLog": None},
                       "RETRY_TIMES": 1}

    @classmethod
    def update_settings(cls, settings):
        super().update_settings(settings)
        apply_download_slots(settings, load_sources(settings.get("RASD_SOURCES")))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.probes: list[ListingProbe] = []

    async def start(self):
        self.sources = load_sources(self.settings.get("RASD_SOURCES"))
        self.window = SitemapWindow(moment_or_now(self.settings.get("RASD_NOW")),
                                    self.settings.getint("RASD_SITEMAP_DAYS"))
        self.crawler.stats.set_value("rasd/probe", self.probes)
        for source in self.sources:
            for kind, urls in (("feed", source.feeds), ("sitemap", source.sitemaps)):
                for url in urls:
                    probe = ListingProbe(source.slug, kind, url, source.enabled)
                    self.probes.append(probe)
                    yield self._request(url, self.parse_listing, source, probe)

    def _request(self, url: str, callback, source: Source, probe: ListingProbe,
                 **kwargs) -> scrapy.Request:
        meta = request_meta(source)
        if not kwargs.get("article"):  # a listing's error status is reported, not retried away
            meta["handle_httpstatus_list"] = _ERROR_STATUSES
        return scrapy.Request(url, callback, errback=self.failed, meta=meta, dont_filter=True,
                              cb_kwargs={"source": source, "probe": probe, **kwargs})

    def failed(self, failure: Failure):
        probe = failure.request.cb_kwargs["probe"]
        if failure.request.cb_kwargs.get("article"):
            probe.articles_failed += 1
        elif probe.status is None:
            probe.status = failure_label(failure)

    def parse_listing(self, response: Response, source: Source, probe: ListingProbe,
                      child: bool = False):
        if not child:
            probe.status = str(response.status)
        if response.status != 200:
            if child:
                probe.problem = f"child sitemap {response.status}"
            return
        try:
            if probe.kind == "feed":
                links = parse_feed(response.body, response.url,
                                   response.headers.get("Content-Type", b"").decode("latin-1"),
                                   listing_max_size(response, self.settings)).links
                kind = "urlset"
            else:
                kind, links = parse_sitemap(response.body, response.url,
                                            listing_max_size(response, self.settings))
        except (FeedError, SitemapError) as exc:
            probe.problem = str(exc)[:60]
            return
        if kind == "sitemapindex":
            recent = [ln for ln in links if source.on_own_origin(ln.url)
                      and self.window.recent(ln)]
            probe.problem = None if recent else "no recent child sitemap"
            recent.sort(key=lambda ln: sitemap_date(ln) or date.min, reverse=True)
            for link in recent[:_CHILD_SITEMAPS]:
                yield self._request(link.url, self.parse_listing, source, probe, child=True)
            return
        owned = [ln for ln in links if source.owns(ln.url)]
        probe.add_links(owned)
        owned.sort(key=lambda ln: ln.published or "", reverse=True)
        for link in owned[: self.settings.getint("RASD_PROBE_ARTICLES")]:
            yield self._request(link.url, self.parse_article, source, probe, article=True)

    def parse_article(self, response: Response, source: Source, probe: ListingProbe,
                      article: bool):
        content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        if article_is_arabic(response.body, content_type, response.url,
                             self.settings.getint("RASD_MIN_TEXT_CHARS")):
            probe.articles_arabic += 1
        else:
            probe.articles_other += 1
