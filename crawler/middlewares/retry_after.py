"""Scrapy's RetryMiddleware, honouring Retry-After.

An outlet that answers 503 or 429 with `Retry-After: 30` asks for 30 seconds; Scrapy's retry
asks again at once. This subclass waits what the outlet asks before retrying, up to
RASD_RETRY_AFTER_MAX seconds; an outlet asking for longer is not retried in this crawl, and
the spider keeps the date in the outlet's health record so the next crawls leave it alone
until then (rasd/store/outlet_health.py).
"""
from __future__ import annotations

from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.response import response_status_message
from twisted.internet.task import deferLater

from rasd import clock


def retry_after(response: Response, now: datetime) -> timedelta | None:
    """The wait a response's Retry-After asks for (seconds or an HTTP date); None without one
    or when it cannot be read."""
    value = (response.headers.get("Retry-After") or b"").decode("latin-1").strip()
    if not value:
        return None
    if value.isdigit():
        return timedelta(seconds=int(value))
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        return None
    return max(moment - now, timedelta(0))


class RetryAfterMiddleware(RetryMiddleware):
    """Retries like Scrapy's RetryMiddleware, after the wait a Retry-After asks for."""

    def __init__(self, settings):
        super().__init__(settings)
        self.max_wait = timedelta(seconds=settings.getfloat("RASD_RETRY_AFTER_MAX"))

    async def process_response(self, request: Request, response: Response,
                               spider=None) -> Request | Response:
        wait = retry_after(response, clock.now())
        if (wait is None or request.meta.get("dont_retry", False)
                or response.status not in self.retry_http_codes):
            return super().process_response(request, response)
        if wait > self.max_wait:
            self.crawler.stats.inc_value("rasd/retry_after/too_long")
            return response   # the listing fails; the outlet rests until then
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        self.crawler.stats.inc_value("rasd/retry_after/waited")
        from twisted.internet import reactor  # the one Scrapy installed: never at import
        await maybe_deferred_to_future(deferLater(reactor, wait.total_seconds(), lambda: None))
        return retry
