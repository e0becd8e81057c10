"""The progress extension, driven with a real Scrapy Crawler and an injected clock (no sleeps):
a rewritten status line on a terminal, one line per interval off it."""
from __future__ import annotations

import io
import logging

import pytest
from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.extensions.progress import CLEAR_LINE, CrawlProgress, elapsed_text


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    """What the extension writes to, standing in for stderr on a TTY."""

    def isatty(self) -> bool:
        return True


def progress(stream: io.StringIO, clock: Clock, interval: float = 60) -> CrawlProgress:
    crawler = get_crawler(settings_dict={"RASD_PROGRESS_INTERVAL": interval})
    ext = CrawlProgress.from_crawler(crawler, stream=stream, clock=clock)
    ext.start()
    return ext


def crawled(ext: CrawlProgress, pages: int, enqueued: int, dequeued: int, new: int,
            downloading: int = 0) -> None:
    """Set the figures a crawl would have counted so far (one failed download among them)."""
    for name, value in [("response_received_count", pages), ("scheduler/enqueued", enqueued),
                        ("scheduler/dequeued", dequeued), ("rasd/articles_new", new),
                        ("downloader/request_count", pages + 1 + downloading),
                        ("downloader/response_count", pages),
                        ("downloader/exception_count", 1)]:
        ext.crawler.stats.set_value(name, value)


def received(ext: CrawlProgress, url: str, source: str | None) -> None:
    meta = {"rasd_source": source} if source else {}
    ext.response_received(HtmlResponse(url), Request(url, meta=meta), spider=None)


@pytest.mark.parametrize("settings", [{}, {"RASD_PROGRESS_INTERVAL": 0}])
def test_it_is_off_without_an_interval(settings):
    with pytest.raises(NotConfigured):
        CrawlProgress.from_crawler(get_crawler(settings_dict=settings), stream=io.StringIO())


def test_off_a_terminal_it_writes_one_line_per_interval_and_nothing_at_the_end():
    stream, clock = io.StringIO(), Clock()
    ext = progress(stream, clock, interval=60)
    assert not ext.tty and ext.period == 60
    crawled(ext, pages=90, enqueued=130, dequeued=100, new=12, downloading=8)
    received(ext, "http://127.0.0.1:1/rss.xml", "alwasat")
    received(ext, "http://127.0.0.1:1/robots.txt", None)   # robots.txt: no outlet of its own
    clock.now += 60
    ext.report()
    crawled(ext, pages=200, enqueued=210, dequeued=210, new=150)
    received(ext, "http://127.0.0.1:2/feed/", "libya24")
    clock.now += 65
    ext.report()
    ext.finish()
    assert stream.getvalue() == (
        "progress: 1m00s, 90 pages (1.5/s), 38 queued, 12 new articles, outlet alwasat\n"
        "progress: 2m05s, 200 pages (1.6/s), 0 queued, 150 new articles, outlet libya24\n")


def test_on_a_terminal_it_rewrites_one_line_and_ends_with_the_final_figures(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    stream, clock = Terminal(), Clock()
    ext = progress(stream, clock, interval=60)
    assert ext.tty and ext.period == ext.tty_refresh == 1.0
    crawled(ext, pages=4, enqueued=10, dequeued=5, new=0)
    received(ext, "http://127.0.0.1:1/rss.xml", "fixture")
    clock.now += 2
    ext.report()
    crawled(ext, pages=15, enqueued=15, dequeued=15, new=10)
    clock.now += 1
    ext.report()
    ext.finish()
    assert stream.getvalue() == (
        f"{CLEAR_LINE}2s, 4 pages (2.0/s), 5 queued, 0 new articles, outlet fixture"
        f"{CLEAR_LINE}3s, 15 pages (5.0/s), 0 queued, 10 new articles, outlet fixture"
        f"{CLEAR_LINE}done: 3s, 15 pages (5.0/s), 0 queued, 10 new articles, outlet fixture\n")


def test_the_status_line_fits_the_terminal_so_that_it_never_wraps(monkeypatch):
    monkeypatch.setenv("COLUMNS", "30")
    stream, clock = Terminal(), Clock()
    ext = progress(stream, clock)
    received(ext, "http://127.0.0.1:1/rss.xml", "a-very-long-outlet-name")
    ext.report()
    line = stream.getvalue().removeprefix(CLEAR_LINE)
    assert line == "0s, 0 pages (0.0/s), 0 queued"[:29] and "\n" not in line


def test_on_a_terminal_a_log_line_erases_the_status_line_first():
    stream, clock = Terminal(), Clock()
    handler = logging.StreamHandler(stream)   # as Scrapy's handler writes to stderr
    logging.getLogger().addHandler(handler)
    try:
        ext = progress(stream, clock)
        clock.now += 1
        ext.report()
        logging.getLogger("crawler.spiders.news").error("feed http://x/rss.xml (x): broken")
        ext.finish()
        logging.getLogger("crawler.spiders.news").error("after the crawl")
    finally:
        logging.getLogger().removeHandler(handler)
    status = "1s, 0 pages (0.0/s), 0 queued, 0 new articles"
    assert stream.getvalue() == (f"{CLEAR_LINE}{status}{CLEAR_LINE}"
                                 "feed http://x/rss.xml (x): broken\n"
                                 f"{CLEAR_LINE}done: {status}\nafter the crawl\n")


@pytest.mark.parametrize("seconds, text", [(0, "0s"), (59.9, "59s"), (60, "1m00s"),
                                           (3725, "1h02m05s")])
def test_elapsed_time_is_short(seconds, text):
    assert elapsed_text(seconds) == text
