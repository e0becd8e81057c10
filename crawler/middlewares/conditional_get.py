"""Conditional GET for feeds and sitemaps: an unchanged listing answers 304 with no body.

A downloader middleware. Requests marked `meta["rasd_conditional"]` (the news spider marks
listings of outlets with `conditional_get = true`, the default) carry the ETag and
Last-Modified their URL answered last time, from the `listing_validators` table. New validators
are written only when the crawl finishes normally and every batch of articles was stored: if a
crawl dies (or fails to store) after reading a feed, the next crawl must get the full feed
again, not a 304.
"""
from __future__ import annotations

from functools import cached_property

from scrapy import signals
from scrapy.http import Request, Response

from crawler.signals import STORE_FAILURES
from rasd.clock import timestamp
from rasd.store.database import Store, open_store
from rasd.store.validators import listing_validators, save_listing_validators


class ConditionalGetMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.fresh: dict[str, dict[str, str | None]] = {}

    @cached_property
    def store(self) -> Store:
        """Opened on first use: spiders without conditional listings never touch the file."""
        return open_store(self.crawler.settings.get("RASD_DB"))

    @classmethod
    def from_crawler(cls, crawler):
        middleware = cls(crawler)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def process_request(self, request: Request, spider=None) -> None:
        if not request.meta.get("rasd_conditional"):
            return
        etag, last_modified = listing_validators(self.store, request.url)
        if etag:
            request.headers.setdefault("If-None-Match", etag)
        if last_modified:
            request.headers.setdefault("If-Modified-Since", last_modified)

    def process_response(self, request: Request, response: Response, spider=None):
        if not request.meta.get("rasd_conditional"):
            return response
        if response.status == 304:
            self.crawler.stats.inc_value("rasd/listings/not_modified")
        elif response.status == 200:
            etag = response.headers.get("ETag")
            last_modified = response.headers.get("Last-Modified")
            if etag or last_modified:
                self.fresh[request.url] = {
                    "url": request.url, "checked_at": timestamp(),
                    "etag": etag.decode("latin-1") if etag else None,
                    "last_modified": last_modified.decode("latin-1") if last_modified else None}
        return response

    def spider_closed(self, spider, reason: str) -> None:
        if reason != "finished" or not self.fresh:
            return
        if self.crawler.stats.get_value(STORE_FAILURES):
            return
        save_listing_validators(self.store, self.fresh.values())
