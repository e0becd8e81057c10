"""The `news` spider: one generic spider driven by the outlet registry.

For each enabled source it reads the feeds and sitemaps, and requests every article link that
belongs to the source (http(s), own origins, article pattern) and has not been processed
before. A dead feed or a broken document is logged and counted, in one line; the rest of the
crawl goes on. What a listing can make the crawl do is capped: its decompressed size
(DOWNLOAD_MAXSIZE), its links (RASD_MAX_LINKS_PER_LISTING) and how deep sitemap indexes nest.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

import scrapy
from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.canonical import article_url
from crawler.items import ArticleItem
from crawler.listings.feeds import FeedError, Link, parse_feed
from crawler.listings.limits import capped, listing_max_size
from crawler.listings.sitemaps import SitemapError, parse_sitemap
from crawler.listings.window import SitemapWindow
from crawler.middlewares.retry_after import retry_after
from crawler.middlewares.source_requests import apply_download_slots, request_meta
from crawler.registry.shards import in_shard, parse_shard
from crawler.registry.sources import Source, load_sources
from crawler.seen import SeenUrls
from crawler.store_failure import stop_on_store_failure
from crawler.urls import canonicalize_url
from rasd import clock
from rasd.clock import moment_or_now, timestamp
from rasd.store.claims import release_run
from rasd.store.database import open_store
from rasd.store.errors import DatabaseError
from rasd.store.outlet_health import Outcome, record_outcomes, resting_outlets
from rasd.store.outlets import record_sources

# a sitemap index may list indexes, which may list indexes: deeper is a loop or a trap
MAX_SITEMAP_DEPTH = 3
ROBOTS_FORBIDS = "Forbidden by robots.txt"   # RobotsTxtMiddleware's IgnoreRequest


def failure_line(failure: Failure) -> str:
    """`URL: what went wrong` (the HTTP status for an error response; the URL asked for, and
    where redirects led), for one log line."""
    response = getattr(failure.value, "response", None)
    reason = (f"HTTP {response.status}" if response is not None
              else failure.getErrorMessage() or failure.type.__name__)
    request = failure.request
    first = request.meta.get("redirect_urls", [request.url])[0]
    where = first if first == request.url else f"{first} (redirected to {request.url})"
    return f"{where}: {reason}"


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
        self.judge_health = True   # record outlet health, skip resting outlets
        self.resting: dict[str, dict] = {}
        self.outcomes: dict[str, Outcome] = {}   # per outlet tried: why it was not read
        self.outlets_read: set[str] = set()      # outlets with a listing read in this crawl
        # No `allowed_domains`: Scrapy's OffsiteMiddleware would check hosts only, and drop an
        # offsite redirect unseen; OwnOriginsMiddleware checks scheme, host and port, and the
        # request's errback says what was refused.

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
        shard = settings.get("RASD_SHARD")
        sources = in_shard(sources, parse_shard(shard) if shard else None)
        seen = SeenUrls(store, settings.getfloat("RASD_DROPPED_RETRY_HOURS"),
                        settings.getfloat("RASD_CLAIM_LEASE_HOURS"))
        spider = super().from_crawler(crawler, sources, seen, *args, **kwargs)
        spider.max_links = settings.getint("RASD_MAX_LINKS_PER_LISTING")
        spider.store = store
        # a replay of a recording neither skips a resting outlet nor judges one
        spider.judge_health = not settings.getbool("RASD_RECORDING_REPLAY")
        spider.resting = resting_outlets(store, clock.now()) if spider.judge_health else {}
        crawler.signals.connect(spider.redirect_dropped, signal=signals.request_dropped)
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
            health = self.resting.get(source.slug)
            if health is not None:
                self.crawler.stats.inc_value("rasd/outlets_resting")
                self.logger.warning(
                    "outlet %s skipped: %d failed crawls in a row (last: %s); next attempt "
                    "after %s", source.slug, health["consecutive_failures"],
                    health["last_error"], health["next_attempt_at"])
                continue
            self.outcomes[source.slug] = Outcome("no listing read")
            for url in source.feeds:
                yield scrapy.Request(url, self.parse_feed, errback=self.listing_failed,
                                     cb_kwargs={"source": source}, dont_filter=True,
                                     meta=self.listing_meta(source))
            for url in source.sitemaps:
                yield scrapy.Request(url, self.parse_sitemap, errback=self.listing_failed,
                                     cb_kwargs={"source": source}, dont_filter=True,
                                     meta=self.listing_meta(source))

    def listing_failed(self, failure: Failure):
        """A feed or sitemap could not be fetched: one line; the other listings carry on."""
        self.crawler.stats.inc_value("rasd/source_errors")
        line = failure_line(failure)
        self.logger.error("listing failed: %s", line)
        response = getattr(failure.value, "response", None)
        wait = retry_after(response, clock.now()) if response is not None else None
        self.listing_outcome(failure.request.cb_kwargs["source"], line,
                             clock.now() + wait if wait else None)

    def listing_outcome(self, source: Source, error: str | None = None,
                        wait_until: datetime | None = None) -> None:
        """Note how a listing of `source` went: one listing read makes the outlet healthy;
        else its health keeps the last error and the latest Retry-After."""
        if error is None:
            self.outlets_read.add(source.slug)
            return
        before = self.outcomes.get(source.slug, Outcome())
        latest = max(filter(None, (wait_until, before.retry_after)), default=None)
        self.outcomes[source.slug] = Outcome(error, latest)

    def closed(self, reason: str) -> None:
        """A finished crawl updates the health of the outlets it tried (a crawl cut short
        says nothing about them). The claims of URLs not stored (failed downloads) are given
        back, so that another crawl may fetch them."""
        try:
            release_run(self.store, getattr(self.crawler, "rasd_run_id", 0))
        except DatabaseError:   # the store failed (reported): another crawl takes them over
            pass
        if reason != "finished" or not self.outcomes or not self.judge_health:
            return
        outcomes = {slug: Outcome() if slug in self.outlets_read else outcome
                    for slug, outcome in self.outcomes.items()}
        record_outcomes(self.store, outcomes, clock.now(), timedelta(
            hours=self.settings.getfloat("RASD_BACKOFF_MAX_HOURS")))

    def article_failed(self, failure: Failure):
        """An article could not be fetched: one line (an error status is a warning, a page
        robots.txt forbids is routine)."""
        if failure.check(HttpError):
            level = logging.WARNING
        elif failure.check(IgnoreRequest) and str(failure.value) == ROBOTS_FORBIDS:
            level = logging.INFO
        else:
            level = logging.ERROR
        if level > logging.INFO:
            self.crawler.stats.inc_value("rasd/article_errors")
        self.logger.log(level, "article failed: %s", failure_line(failure))

    def redirect_dropped(self, request: scrapy.Request) -> None:
        """A redirect the scheduler dropped, unasked (a loop its duplicate filter caught): the
        page failed, say so in one line."""
        first = request.meta.get("redirect_urls", [None])[0]
        if first is None:
            return
        kind = "article" if request.callback == self.parse_article else "listing"
        self.crawler.stats.inc_value(f"rasd/{kind}_errors" if kind == "article"
                                     else "rasd/source_errors")
        self.logger.error("%s failed: %s (redirected to %s): redirect not followed (a loop)",
                          kind, first, request.url)

    def parse_feed(self, response: Response, source: Source):
        if response.status == 304:  # unchanged since the last crawl: no new links
            self.listing_outcome(source)
            return
        try:
            feed = parse_feed(response.body, response.url,
                              response.headers.get("Content-Type", b"").decode("latin-1"),
                              listing_max_size(response, self.settings))
        except FeedError as exc:
            self.crawler.stats.inc_value("rasd/source_errors")
            self.logger.error("feed %s (%s): %s", response.url, source.slug, exc)
            self.listing_outcome(source, f"{response.url}: {exc}")
            return
        self.listing_outcome(source)
        if feed.problem:
            self.crawler.stats.inc_value("rasd/source_errors")
            self.logger.error("feed %s (%s) is malformed, %d links read: %s",
                              response.url, source.slug, len(feed.links), feed.problem)
        yield from self.article_requests(self.capped(feed.links, response), source)

    def capped(self, links: list[Link], response: Response) -> list[Link]:
        """The first RASD_MAX_LINKS_PER_LISTING links of a listing; says so when it cuts."""
        kept = capped(links, self.max_links)
        if len(kept) < len(links):
            self.crawler.stats.inc_value("rasd/links/over_limit", len(links) - len(kept))
            self.logger.warning("listing %s has %d links: only the first %d are followed "
                                "(RASD_MAX_LINKS_PER_LISTING)", response.url, len(links),
                                len(kept))
        return kept

    def parse_sitemap(self, response: Response, source: Source):
        if response.status == 304:
            self.listing_outcome(source)
            return
        try:
            kind, links = parse_sitemap(response.body, response.url,
                                        listing_max_size(response, self.settings))
        except SitemapError as exc:
            self.crawler.stats.inc_value("rasd/source_errors")
            self.logger.error("sitemap %s (%s): %s", response.url, source.slug, exc)
            self.listing_outcome(source, f"{response.url}: {exc}")
            return
        self.listing_outcome(source)
        links = self.capped(links, response)
        if kind == "urlset":
            yield from self.article_requests(links, source)
            return
        depth = response.meta.get("rasd_sitemap_depth", 0) + 1
        if depth > MAX_SITEMAP_DEPTH:
            self.crawler.stats.inc_value("rasd/source_errors")
            self.logger.error("sitemap %s (%s): sitemap indexes nested deeper than %d, "
                              "not followed", response.url, source.slug, MAX_SITEMAP_DEPTH)
            return
        for link in links:
            if not source.on_own_origin(link.url):
                self.crawler.stats.inc_value("rasd/links/foreign")
                continue
            if not self.window.recent(link):
                self.crawler.stats.inc_value("rasd/sitemaps/too_old")
                continue
            yield scrapy.Request(link.url, self.parse_sitemap, errback=self.listing_failed,
                                 cb_kwargs={"source": source},
                                 meta={**self.listing_meta(source), "rasd_sitemap_depth": depth})

    def article_requests(self, links: list[Link], source: Source):
        wanted = []   # (canonical url, link, refetch) of the links to download
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
            wanted.append((url, link, refetch))
        if not wanted:
            return
        try:   # one claim transaction per listing
            claimed = self.seen.claim([url for url, _, _ in wanted], source.slug,
                                      getattr(self.crawler, "rasd_run_id", 0))
        except DatabaseError as exc:   # the crawl stops: nothing fetched could be stored
            stop_on_store_failure(self.crawler, exc, self.settings.get("RASD_DB"))
            return
        for url, link, refetch in wanted:
            if url not in claimed:
                self.crawler.stats.inc_value("rasd/links/claimed_elsewhere")
                self.logger.info("%s (%s): another crawl is downloading it, skipped", url,
                                 source.slug)
                continue
            yield scrapy.Request(url, self.parse_article, errback=self.article_failed,
                                 meta={**request_meta(source), "rasd_claimed": url},
                                 cb_kwargs={"source": source, "link": link, "refetch": refetch})

    def parse_article(self, response: Response, source: Source, link: Link,
                      refetch: bool = False):
        yield ArticleItem(
            url=canonicalize_url(article_url(response, source), source.fetch_options.rewrites),
            original_url=link.url, claimed_url=response.meta.get("rasd_claimed"),
            refetch=refetch, source=source.slug,
            fetched_at=timestamp(),
            body=response.body, headers=response_headers(response),
            feed_title=link.title, feed_published=link.published,
            source_language=source.language)

