"""Conditional GET for feeds and sitemaps: an unchanged listing answers 304 with no body.

A downloader middleware. Requests marked `meta["rasd_conditional"]` (the news spider marks
listings of outlets with `conditional_get = true`, the default) carry the ETag and
Last-Modified their URL answered last time, from the `listing_validators` table. New validators
are written only when the crawl finishes normally: if a crawl dies after reading a feed but
before storing its articles, the next crawl must get the full feed again, not a 304.
"""
from __future__ import annotations

from scrapy import signals
from scrapy.http import Request, Response

from rasd.store.database import open_db
from rasd.clock import timestamp


class ConditionalGetMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.db_path = crawler.settings.get("RASD_DB")
        self.fresh: dict[str, dict[str, str | None]] = {}

    @classmethod
    def from_crawler(cls, crawler):
        middleware = cls(crawler)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def _validators(self, url: str) -> tuple[str | None, str | None]:
        db = open_db(self.db_path)
        try:
            row = db.execute("SELECT etag, last_modified FROM listing_validators WHERE url = ?",
                             [url]).fetchone()
        finally:
            db.close()
        return (row[0], row[1]) if row else (None, None)

    def process_request(self, request: Request, spider=None) -> None:
        if not request.meta.get("rasd_conditional"):
            return
        etag, last_modified = self._validators(request.url)
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
        db = open_db(self.db_path)
        try:
            db["listing_validators"].upsert_all(self.fresh.values(), pk="url")
        finally:
            db.close()
