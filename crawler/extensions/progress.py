"""Shows what a running crawl or replay is doing: pages done and queued, rate, current outlet.

A Scrapy extension, modelled on Scrapy's LogStats. On a terminal (stderr is a TTY) it rewrites
one status line every second and leaves the final figures on it when the spider closes; the
command's summary follows. Off a terminal (the daemon's log, a pipe, a file) it writes one
progress line every `RASD_PROGRESS_INTERVAL` seconds (default 60). The lines go to stderr
directly, not through Scrapy's logging: rasd's commands log at WARNING by default, which would
hide an INFO line. `RASD_PROGRESS_INTERVAL = 0` turns the extension off.
"""
from __future__ import annotations

import logging
import shutil
import sys
import time
from typing import Callable, TextIO

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.asyncio import create_looping_call

from crawler.middlewares.source_requests import SOURCE_META

CLEAR_LINE = "\r\x1b[K"   # back to the start of the line, erase it
QUEUED_STATS = [(1, "scheduler/enqueued"), (-1, "scheduler/dequeued"),
                (1, "downloader/request_count"), (-1, "downloader/response_count"),
                (-1, "downloader/exception_count")]


def elapsed_text(seconds: float) -> str:
    """`1h02m03s`, `2m05s` or `7s`: short enough for a status line."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m{secs:02d}s"
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


class CrawlProgress:
    """Reports a crawl's progress on stderr: a live status line on a terminal, else a line
    every `interval` seconds."""

    tty_refresh = 1.0   # seconds between redraws of the status line

    def __init__(self, crawler: Crawler, interval: float, stream: TextIO,
                 clock: Callable[[], float]):
        self.crawler = crawler
        self.stream = stream
        self.tty = stream.isatty()
        self.clock = clock
        self.started: float | None = None
        self.outlet: str | None = None
        self.line_shown = False   # a status line is on the terminal, not ended by a newline
        self.task = None
        # a terminal gets a live line; a log gets a line per interval
        self.period = self.tty_refresh if self.tty else interval

    @classmethod
    def from_crawler(cls, crawler: Crawler, *, stream: TextIO | None = None,
                     clock: Callable[[], float] = time.monotonic) -> "CrawlProgress":
        interval = crawler.settings.getfloat("RASD_PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured
        ext = cls(crawler, interval, stream or sys.stderr, clock)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.response_received, signal=signals.response_received)
        return ext

    def spider_opened(self, spider) -> None:
        self.start()
        self.task = create_looping_call(self.report)
        self.task.start(self.period, now=False)

    def spider_closed(self, spider, reason: str) -> None:
        if self.task and self.task.running:
            self.task.stop()
        self.finish()

    def response_received(self, response: Response, request: Request, spider) -> None:
        self.outlet = request.meta.get(SOURCE_META, self.outlet)

    def start(self) -> None:
        """The crawl begins: start the clock; on a terminal, keep log lines off the status."""
        self.started = self.clock()
        if self.tty:
            for handler in self._stream_handlers():
                handler.addFilter(self._before_log_record)

    def finish(self) -> None:
        """The crawl ended: on a terminal, leave its final figures on the status line."""
        if self.tty:
            for handler in self._stream_handlers():
                handler.removeFilter(self._before_log_record)
            self._write(f"{CLEAR_LINE}done: {self.status()}\n")
            self.line_shown = False

    def report(self) -> None:
        """One progress report: redraw the status line, or write a progress line."""
        if self.tty:
            width = shutil.get_terminal_size().columns - 1
            self._write(CLEAR_LINE + self.status()[:width])
            self.line_shown = True
        else:
            self._write(f"progress: {self.status()}\n")

    def status(self) -> str:
        """`2m05s, 1234 pages (9.9/s), 56 queued, 78 new articles, outlet aljazeera`."""
        stats = self.crawler.stats
        seconds = self.clock() - (self.started if self.started is not None else self.clock())
        pages = stats.get_value("response_received_count", 0)
        rate = pages / seconds if seconds > 0 else 0.0
        # waiting in the scheduler, or sent to the downloader and not answered yet
        queued = sum(sign * stats.get_value(name, 0) for sign, name in QUEUED_STATS)
        parts = [elapsed_text(seconds), f"{pages} pages ({rate:.1f}/s)", f"{queued} queued",
                 f"{stats.get_value('rasd/articles_new', 0)} new articles"]
        if self.outlet:
            parts.append(f"outlet {self.outlet}")
        return ", ".join(parts)

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()

    def _stream_handlers(self) -> list[logging.Handler]:
        """The log handlers that write to our terminal (Scrapy's, on stderr)."""
        return [h for h in logging.getLogger().handlers
                if getattr(h, "stream", None) is self.stream]

    def _before_log_record(self, record: logging.LogRecord) -> bool:
        """A log line is about to be written: erase the status line first (redrawn next tick)."""
        if self.line_shown:
            self._write(CLEAR_LINE)
            self.line_shown = False
        return True
