"""The download handler of an offline replay: it never opens a connection.

`rasd replay DIR` answers every request from the recording's cache (HttpCacheMiddleware with
HTTPCACHE_IGNORE_MISSING drops a request that was not recorded before it reaches the
downloader). This handler, installed for http and https in a replay, is the second wall: a
request that still gets through (a setting changed, a middleware reordered) is refused here
rather than sent to a host the recording names.
"""
from __future__ import annotations

from scrapy import Request
from scrapy.core.downloader.handlers.base import BaseDownloadHandler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

OFFLINE_HANDLERS = {"http": "crawler.offline.OfflineDownloadHandler",
                    "https": "crawler.offline.OfflineDownloadHandler"}


class OfflineDownloadHandler(BaseDownloadHandler):
    """Refuses every request: counted as `rasd/replay/not_recorded`."""

    async def download_request(self, request: Request) -> Response:
        self.crawler.stats.inc_value("rasd/replay/not_recorded")
        raise IgnoreRequest(f"not in the recording (a replay never goes online): {request.url}")
