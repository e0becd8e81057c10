"""What `rasd sources check --online` finds about each listing, and the table it prints."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from scrapy import exceptions as scrapy_exceptions
from scrapy.exceptions import IgnoreRequest
from tabulate import tabulate
from twisted.internet import error
from twisted.python.failure import Failure

from crawler.listings.feeds import Link
from pipelines.extract import extract_page
from pipelines.language import detect_language


@dataclass
class ListingProbe:
    """One feed or sitemap of one source, as probed."""

    source: str
    kind: str                      # feed | sitemap
    url: str
    enabled: bool
    status: str | None = None      # HTTP status, or why there was none (DNS, robots.txt...)
    problem: str | None = None     # unreadable document, no recent child sitemap...
    items: int = 0
    newest: str | None = None      # ISO 8601 date of the newest item
    articles_arabic: int = 0
    articles_other: int = 0
    articles_failed: int = 0
    seen: set[str] = field(default_factory=set, repr=False)

    def add_links(self, links: list[Link]) -> None:
        for link in links:
            if link.url not in self.seen:
                self.seen.add(link.url)
                self.items += 1
            if link.published and (self.newest is None or link.published > self.newest):
                self.newest = link.published

    @property
    def ok(self) -> bool:
        return (self.status == "200" and not self.problem and self.items > 0
                and self.articles_arabic > 0)


def article_is_arabic(body: bytes, content_type: str | None, url: str, min_chars: int) -> bool:
    """True when the page extracts, as the pipeline extracts it, to an article-sized text
    that langdetect calls Arabic."""
    reading, _ = extract_page(body, content_type, url)
    text = reading.text.strip() if reading else ""
    return len(text) >= min_chars and detect_language(text) == "ar"




def _scrapy_errors(*names: str) -> tuple[type, ...]:
    """Scrapy >= 2.19 wraps Twisted's network errors in its own exceptions."""
    return tuple(kind for kind in (getattr(scrapy_exceptions, n, None) for n in names) if kind)


_FAILURES = (
    ((error.DNSLookupError, *_scrapy_errors("CannotResolveHostError")), "dns error"),
    ((error.TimeoutError, error.TCPTimedOutError, *_scrapy_errors("DownloadTimeoutError")),
     "timeout"),
    ((error.ConnectionRefusedError, *_scrapy_errors("DownloadConnectionRefusedError")),
     "refused"),
    ((error.ConnectError, *_scrapy_errors("DownloadFailedError")), "no connection"),
)


def failure_label(failure: Failure) -> str:
    """A short word for why a listing has no HTTP status: dns error, timeout, robots.txt..."""
    for kind, label in _FAILURES:
        if failure.check(*kind):
            return label
    if failure.check(IgnoreRequest) and "robots" in (failure.getErrorMessage() or ""):
        return "robots.txt"
    return failure.type.__name__[:20]


def age(newest: str | None, now: datetime) -> str:
    """'3h', '2d'... from an ISO date or timestamp; '-' when unknown."""
    if not newest:
        return "-"
    moment = datetime.fromisoformat(newest if len(newest) > 10 else newest + "T00:00:00+00:00")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    hours = max(0, int((now - moment).total_seconds() // 3600))
    return f"{hours}h" if hours < 48 else f"{hours // 24}d"


def probe_table(probes: list[ListingProbe], now: datetime) -> str:
    """The table printed by `sources check --online`: one row per feed or sitemap."""
    rows = []
    for p in probes:
        checked = p.articles_arabic + p.articles_other + p.articles_failed
        rows.append([
            p.source + ("" if p.enabled else " (disabled)"), p.kind, _short(p.url, 56),
            p.status or "-", p.items, age(p.newest, now),
            f"{p.articles_arabic}/{checked}" if checked else "-",
            "ok" if p.ok else (p.problem or "FAIL"),
        ])
    return tabulate(rows, headers=["source", "kind", "url", "http", "items", "newest",
                                   "arabic", "verdict"], tablefmt="simple")


def _short(url: str, width: int) -> str:
    return url if len(url) <= width else url[: width - 1] + "…"
