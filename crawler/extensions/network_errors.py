"""One line per network failure in the log, not a traceback.

An unreachable outlet is an everyday event for a crawler that runs for months, not a bug; but
Scrapy's RobotsTxtMiddleware logs every robots.txt it cannot download with the full traceback
(40 lines, every hour, per host). This extension puts a logging filter on that logger for the
length of the crawl: when the error is one of the network errors Scrapy would retry
(RETRY_EXCEPTIONS), the record keeps its message (saying it is about robots.txt, which Scrapy's
does not) and loses its traceback. Any other exception keeps its traceback: that is a bug.
"""
from __future__ import annotations

import logging

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.utils.misc import load_object

QUIETED_LOGGERS = ("scrapy.downloadermiddlewares.robotstxt",)


class NetworkErrorLines(logging.Filter):
    """Drops the traceback of a log record whose exception is a network error."""

    def __init__(self, network_errors: tuple[type[BaseException], ...]):
        super().__init__()
        self.network_errors = network_errors

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NetworkErrorLines:
        errors = tuple(load_object(e) if isinstance(e, str) else e
                       for e in crawler.settings.getlist("RETRY_EXCEPTIONS"))
        extension = cls(errors)
        for name in QUIETED_LOGGERS:
            logging.getLogger(name).addFilter(extension)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self) -> None:
        for name in QUIETED_LOGGERS:
            logging.getLogger(name).removeFilter(self)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], self.network_errors):
            record.exc_info = None
            record.exc_text = None
            if isinstance(record.args, dict) and "request" in record.args:
                # Scrapy names the request that needed robots.txt, not robots.txt itself
                record.msg = "robots.txt not read (needed for %(request)s): %(f_exception)s"
        return True
