"""The `news` spider: one generic spider driven by the outlet registry.

For each enabled source it reads the feeds and sitemaps, and requests every article link that
belongs to the source (http(s), own domains, article pattern) and has not been processed
before. A dead feed or a broken document is logged and counted; the rest of the crawl goes on.
"""
from __future__ import annotations

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.canonical import article_url
from crawler.items import ArticleItem
from crawler.listings.feeds import FeedError, Link, parse_feed
from crawler.listings.sitemaps import SitemapError, parse_sitemap
from crawler.listings.window import SitemapWindow
from crawler.middlewares.source_requests import apply_download_slots, request_meta
from crawler.registry.sources import Source, load_sources
from crawler.seen import SeenUrls
from crawler.urls import canonicalize_url
from rasd.clock import moment_or_now, timestamp
from rasd.store.database import open_store
from rasd.store.outlets import record_sources


def response_headers(response: Response) -> dict[str, str]:
    """Response headers as a plain dict with lower-case names (first value of each)."""
    return {k.decode("latin-1").lower(): v[0].decode("latin-1")
            for k, v in response.headers.items() if v}


class NewsSpider(scrapy.Spider):
    name = "news"

    def __init__(self, sources: list[Source], seen: SeenUrls, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sources = [s for s in sources if s.enabled]
        self.seen = seen
        self.allowed_domains = sorted({d for s in self.sources for d in s.allowed_domains})

    @classmethod
    def update_settings(cls, settings):
        super().update_settings(settings)
        apply_download_slots(settings, load_sources(settings.get("RASD_SOURCES")))

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        settings = crawler.settings
        sources = load_sources(settings.get("RASD_SOURCES"))
        store = open_store(settings.get("RASD_DB"))
        record_sources(store, [{"slug": s.slug, "name": s.name, "homepage": s.homepage,
                                "updated_at": timestamp()} for s in sources])
        seen = SeenUrls(store, settings.getfloat("RASD_DROPPED_RETRY_HOURS"))
        spider = super().from_crawler(crawler, sources, seen, *args, **kwargs)
        spider.window = SitemapWindow(moment_or_now(settings.get("RASD_NOW")),
                                      settings.getint("RASD_SITEMAP_DAYS"))
        return spider

    @staticmethod
    def listing_meta(source: Source) -> dict:
        """The source's request meta; feeds and sitemaps are fetched conditionally unless the
        outlet opts out."""
        meta = request_meta(source)
        if source.fetch_options.conditional_get:
            meta.update(rasd_conditional=True, handle_httpstatus_list=[304])
        return meta

    async def start(self):
        for source in self.sources:
            for url in source.feeds:
                yield scrapy.Request(url, self.parse_feed, errback=self.listing_failed,
                                     cb_kwargs={"source": source}, dont_filter=True,
                                     meta=self.listing_meta(source))
            for url in source.sitemaps:
                yield scrapy.Request(url, self.parse_sitemap, errback=self.listing_failed,
                                     cb_kwargs={"source": source}, dont_filter=True,
                                     meta=self.listing_meta(source))

    def listing_failed(self, failure: Failure):
        """A feed or sitemap could not be fetched: log it; the other listings carry on."""
        self.crawler.stats.inc_value("rasd/source_errors")
        self.logger.error("listing failed: %s: %s", failure.request.url,
                          failure.getErrorMessage() or failure.type.__name__)

    def parse_feed(self, response: Response, source: Source):
        if response.status == 304:  # unchanged since the last crawl: no new links
            return
        try:
            feed = parse_feed(response.body, response.url,
                              response.headers.get("Content-Type", b"").decode("latin-1"))
        except FeedError as exc:
            self.crawler.stats.inc_value("rasd/source_errors")
            self.logger.error("feed %s (%s): %s", response.url, source.slug, exc)
            return
        if feed.problem:
            self.crawler.stats.inc_value("rasd/source_errors")
            self.logger.error("feed %s (%s) is malformed, %d links read: %s",
                              response.url, source.slug, len(feed.links), feed.problem)
        yield from self.article_requests(feed.links, source)

    def parse_sitemap(self, response: Response, source: Source):
        if response.status == 304:
            return
        try:
            kind, links = parse_sitemap(response.body, response.url)
        except SitemapError as exc:
            self.crawler.stats.inc_value("rasd/source_errors")
            self.logger.error("sitemap %s (%s): %s", response.url, source.slug, exc)
            return
        if kind == "urlset":
            yield from self.article_requests(links, source)
            return
        for link in links:
            if not source.on_own_domain(link.url):
                continue
            if not self.window.recent(link):
                self.crawler.stats.inc_value("rasd/sitemaps/too_old")
                continue
            yield scrapy.Request(link.url, self.parse_sitemap, errback=self.listing_failed,
                                 cb_kwargs={"source": source}, meta=self.listing_meta(source))

    def article_requests(self, links: list[Link], source: Source):
        for link in links:
            if not source.owns(link.url):
                self.crawler.stats.inc_value("rasd/links/foreign")
                continue
            options = source.fetch_options
            url = canonicalize_url(link.url, options.rewrites)
            refetch = self.seen.stale(url, options.refetch_hours)
            if self.seen.known(url, link.url) and not refetch:
                self.crawler.stats.inc_value("rasd/links/known")
                continue
            self.seen.add(url)
            yield scrapy.Request(url, self.parse_article, meta=request_meta(source),
                                 cb_kwargs={"source": source, "link": link, "refetch": refetch})

    def parse_article(self, response: Response, source: Source, link: Link,
                      refetch: bool = False):
        yield ArticleItem(
            url=canonicalize_url(article_url(response, source), source.fetch_options.rewrites),
            original_url=link.url, refetch=refetch, source=source.slug,
            fetched_at=timestamp(),
            body=response.body, headers=response_headers(response),
            feed_title=link.title, feed_published=link.published,
            source_language=source.language)

