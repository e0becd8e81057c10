"""Which child sitemaps of a sitemap index are recent enough to follow.

News outlets keep one sitemap per day (Al Jazeera: hundreds of them, for years); an hourly
crawl only needs the last few days. A child sitemap's date is its `<lastmod>`, or else a date
written in its URL (`2026-11-22`, `2026/11/22`, `20261122`, `yyyy=2026&mm=11&dd=22`). A child
with no date at all is followed: it cannot be shown to be old.

The reference time is `RASD_NOW` when set (a recorded crawl replays with the time it was
recorded at, and tests inject their clock), else the real time.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from crawler.listings.feeds import Link
from rasd.clock import UTC

_URL_DATES = (
    re.compile(r"(?<!\d)(20\d\d)[-/_.](\d\d)[-/_.](\d\d)(?!\d)"),
    re.compile(r"(?<!\d)(20\d\d)(\d\d)(\d\d)(?!\d)"),
    re.compile(r"yyyy=(20\d\d)&mm=(\d\d?)&dd=(\d\d?)"),
)


def sitemap_date(link: Link) -> date | None:
    """The day a child sitemap covers: its lastmod, else a date in its URL."""
    if link.published:
        try:
            return date.fromisoformat(link.published[:10])
        except ValueError:
            pass
    for pattern in _URL_DATES:
        for found in pattern.finditer(link.url):
            try:
                return date(*(int(part) for part in found.groups()))
            except ValueError:
                continue
    return None


class SitemapWindow:
    """Keeps child sitemaps dated within the last `days` days (inclusive of today)."""

    def __init__(self, now: datetime, days: int):
        self.oldest = (now.astimezone(UTC) - timedelta(days=max(days, 1) - 1)).date()

    def recent(self, link: Link) -> bool:
        day = sitemap_date(link)
        return day is None or day >= self.oldest
