"""When an article was published, with the precision the page actually gives.

Article-level statements come first, page-level guesses last: the outlet's own date selector,
JSON-LD `datePublished`, the publication meta tags (article:published_time, dc:date, pubdate…,
RDFa dc:date), a <time datetime> outside the page's header, navigation and footer, the feed's
date, the date in the URL, and only then the generic guess (htmldate's, which may read a
masthead clock). The first candidate that is a real day wins; a year or a month alone is not.

The result keeps what is known and nothing more: `date` is the publication day in the outlet's
own time (the page's offset, or the registry's `timezone`); `at` is the UTC instant, set only
when the page gives a time and its offset (or the outlet's zone) is known. Midnight on the dot
is a CMS's way of saying "no time" and counts as a day. Dates after `now` or before the outlet
was founded are rejected, and the next candidate is tried.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from lxml.html import HtmlElement

from rasd import clock
from rasd.text.page_rules import jsonld_objects, select, squash

EARLIEST = date(1995, 1, 1)   # no news site published before this

_META_KEYS = (
    "article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
    "publish-date", "publish_date", "dc.date", "dc.date.issued", "dcterms.created",
    "dcterms.issued", "dc:date", "sailthru.date", "parsely-pub-date", "date",
)
_ISO = re.compile(
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?)?\s*$", re.I)
_URL_DATES = (re.compile(r"/((?:19|20)\d{2})/(?:[^/]+/)?(\d{1,2})/(\d{1,2})(?:/|$)"),
              re.compile(r"(?<!\d)((?:19|20)\d{2})-(\d{2})-(\d{2})(?!\d)"))
# Maghreb and Levant month names that dateparser does not know, as Egyptian ones it does.
_MONTHS = {"جانفي": "يناير", "فيفري": "فبراير", "أفريل": "أبريل", "ماي": "مايو",
           "جوان": "يونيو", "جويلية": "يوليو", "أوت": "أغسطس"}
_PAIRED_MONTH = re.compile(r"[^\W\d_]+\s*/\s*(?=[^\W\d_])")   # "نيسان / أبريل" -> "أبريل"
_CLOCK = re.compile(r"\d{1,2}:\d{2}")
_SKIPPED_CONTAINERS = {"header", "nav", "footer", "aside"}


@dataclass(frozen=True)
class Published:
    """The publication day (outlet's time) and, when known, the UTC instant."""

    date: str | None = None      # YYYY-MM-DD
    at: str | None = None        # ISO 8601 UTC to the second, only when the time is known
    origin: str = ""             # which candidate gave it: "json-ld", "meta", "url", ...


@dataclass(frozen=True)
class _Moment:
    day: date
    clock: time | None = None
    offset: timezone | None = None


def published(tree: HtmlElement, url: str, *, zone: str | None = None,
              feed_date: str | None = None, guess: Callable[[], str | None] | None = None,
              founded: date | None = None, now: datetime | None = None,
              selector: str | None = None) -> Published:
    """The publication date of the page at `url` (an empty Published when none is credible)."""
    tz = ZoneInfo(zone) if zone else None
    now = now or clock.now()
    floor = max(founded or EARLIEST, EARLIEST)
    for origin, value in _candidates(tree, url, selector, feed_date, guess):
        moment = parse_moment(value)
        if moment is None:
            continue
        if origin == "guess":   # htmldate's pick may be a masthead clock: trust only its day
            moment = _Moment(moment.day)
        result = _resolve(moment, tz)
        if _credible(result, floor, now, tz):
            return Published(result.date, result.at, origin)
    return Published()


def parse_moment(value: str) -> _Moment | None:
    """An ISO 8601 date-time, or an Arabic date written out ("الأربعاء، 07 أكتوبر 2020 - 12:09 م").
    """
    value = squash(value)
    if not value:
        return None
    match = _ISO.match(value)
    if match:
        return _from_iso(match)
    return _from_words(value)


def story_moment(published_at: str | None, published_date: str | None, fetched_at: str) -> str:
    """When an article is placed in time for story windows and listings: the published
    instant, else noon UTC of the published day, else when it was fetched (ISO UTC)."""
    if published_at and len(published_at) > 10:
        return published_at
    day = published_date or (published_at if published_at and len(published_at) == 10 else None)
    return f"{day}T12:00:00+00:00" if day else fetched_at


def _candidates(tree, url, selector, feed_date, guess):
    if selector:
        for element in select(tree, selector):
            yield "selector", element.get("datetime") or element.get("content") or \
                element.text_content()
    for node in jsonld_objects(tree):
        if isinstance(node.get("datePublished"), str):
            yield "json-ld", node["datePublished"]
    for element in tree.iterfind(".//meta"):
        key = (element.get("property") or element.get("name") or element.get("itemprop")
               or "").strip().lower()
        if key in _META_KEYS and element.get("content"):
            yield "meta", element.get("content")
    for element in tree.xpath('//*[@property="dc:date" or @property="dcterms:created" or '
                              '@itemprop="datePublished"][@content or @datetime]'):
        yield "meta", element.get("content") or element.get("datetime")
    for element in tree.iterfind(".//time"):
        if element.get("datetime") and not any(
                a.tag in _SKIPPED_CONTAINERS for a in element.iterancestors()):
            yield "time", element.get("datetime")
    if feed_date:
        yield "feed", feed_date
    path = unquote(urlsplit(url).path)
    for pattern in _URL_DATES:
        match = pattern.search(path)
        if match:
            yield "url", "-".join(f"{int(p):02d}" for p in match.groups())
    if guess and (value := guess()):
        yield "guess", value


def _from_iso(match: re.Match) -> _Moment | None:
    year, month, day, hour, minute, second, offset = match.groups()
    try:
        the_day = date(int(year), int(month), int(day))
        clock = time(int(hour), int(minute), int(second or 0)) if hour is not None else None
    except ValueError:
        return None
    tz = None
    if offset:
        if offset.upper() == "Z":
            tz = timezone.utc
        else:
            digits = offset.replace(":", "")
            sign = -1 if digits[0] == "-" else 1
            tz = timezone(sign * timedelta(hours=int(digits[1:3]), minutes=int(digits[3:5])))
    return _Moment(the_day, clock, tz)


def _from_words(value: str) -> _Moment | None:
    import dateparser  # slow to import; only pages without machine-readable dates need it

    for local, standard in _MONTHS.items():
        value = re.sub(rf"(?<!\w){local}(?!\w)", standard, value)
    value = _PAIRED_MONTH.sub("", value)
    first_digit = re.search(r"[\d٠-٩]", value)
    if not first_digit:
        return None
    value = value[first_digit.start():]
    parsed = dateparser.parse(value, languages=["ar", "en", "fr"],
                              settings={"PREFER_DATES_FROM": "past", "STRICT_PARSING": True})
    if parsed is None:
        return None
    clock = parsed.time().replace(microsecond=0) if _CLOCK.search(value) else None
    return _Moment(parsed.date(), clock, parsed.tzinfo and timezone(parsed.utcoffset()))


def _resolve(moment: _Moment, tz: ZoneInfo | None) -> Published:
    if moment.clock is None or moment.clock == time(0, 0, 0):
        return Published(moment.day.isoformat())
    local = datetime.combine(moment.day, moment.clock)
    if moment.offset is not None:
        aware = local.replace(tzinfo=moment.offset)
    elif tz is not None:
        aware = local.replace(tzinfo=tz)
    else:   # a time without an offset or a zone: only the day is certain
        return Published(moment.day.isoformat())
    day = (aware.astimezone(tz) if tz else aware).date()
    return Published(day.isoformat(), aware.astimezone(timezone.utc).isoformat(timespec="seconds"))


def _credible(result: Published, floor: date, now: datetime, tz: ZoneInfo | None) -> bool:
    day = date.fromisoformat(result.date)
    today = now.astimezone(tz).date() if tz else (now + timedelta(hours=14)).date()
    if day < floor or day > today:
        return False
    return result.at is None or datetime.fromisoformat(result.at) <= now + timedelta(minutes=5)
