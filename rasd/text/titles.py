"""The headline of an article page, without the outlet's name however it is attached.

Outlets put their name before or after the headline in <title>, og:title and twitter:title
("… - اليوم السابع", "المدينة نيوز - …", "… - عبر الإمارات - أخبار وتقارير - البيان"), while
the <h1> usually carries the headline alone. So the headline is the metadata title that equals
an <h1>, else the <h1> that a metadata title starts or ends with at a separator, else the first
metadata title with the outlet's names (og:site_name, JSON-LD publisher, the registry's name,
the host) cut from either end. A colon or a dash inside a headline is kept: only a segment that
names the outlet is cut.
"""
from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from rasd.text.normalize import normalize
from rasd.text.page_rules import jsonld_objects, select, squash

_SEPARATOR = re.compile(r"\s+(?:[-–—|•·]|::)\s+")
_META_TITLES = ("og:title", "twitter:title")


def headline(tree: HtmlElement, url: str = "", names: tuple[str, ...] = (),
             selector: str | None = None) -> str | None:
    """The article's headline (None when the page has none)."""
    if selector:
        for element in select(tree, selector):
            text = squash(element.text_content())
            if text:
                return text
    outlet_names = _outlet_names(tree, url, names)
    titles = _metadata_titles(tree)
    h1s = sorted({t for t in (squash(h.text_content()) for h in tree.iter("h1"))
                  if t and not _is_outlet_name(t, outlet_names)}, key=len, reverse=True)
    for title in titles:
        if title in h1s:
            return title
    for title in titles:
        for h1 in h1s:
            if _at_separator(title, h1):
                return h1
    for title in titles:
        stripped = strip_outlet_name(title, outlet_names)
        if stripped:
            return stripped
    return h1s[0] if h1s else None


def strip_outlet_name(title: str, names: list[str]) -> str:
    """`title` without leading and trailing separator-delimited segments naming the outlet."""
    parts = _SEPARATOR.split(title)
    while len(parts) > 1 and _is_outlet_name(parts[-1], names):
        parts.pop()
    while len(parts) > 1 and _is_outlet_name(parts[0], names):
        parts.pop(0)
    kept = _SEPARATOR.findall(title)
    if len(parts) == len(kept) + 1:   # nothing cut
        return title
    start = title.find(parts[0])
    end = title.rfind(parts[-1]) + len(parts[-1])
    return title[start:end].strip()


def _metadata_titles(tree: HtmlElement) -> list[str]:
    """JSON-LD headlines, og:title, twitter:title, <title>: in that order, squashed."""
    titles: list[str] = []
    for node in jsonld_objects(tree):
        value = node.get("headline")
        if isinstance(value, str):
            titles.append(html.unescape(value))   # some outlets escape entities twice
    for key in _META_TITLES:
        titles += [m.get("content") or "" for m in tree.iterfind(".//meta")
                   if key in (m.get("property"), m.get("name"))]
    titles += [t.text_content() for t in tree.iterfind(".//title")]
    seen: list[str] = []
    for title in map(squash, titles):
        if title and title not in seen:
            seen.append(title)
    return seen


def _at_separator(title: str, h1: str) -> bool:
    if title.startswith(h1):
        return bool(_SEPARATOR.match(title, len(h1)))
    if title.endswith(h1):
        head = title[: len(title) - len(h1)]
        return bool(re.search(_SEPARATOR.pattern + r"$", head))
    return False


def _outlet_names(tree: HtmlElement, url: str, names: tuple[str, ...]) -> list[str]:
    found = [n for n in names if n]
    for element in tree.iterfind(".//meta"):
        if element.get("property") in ("og:site_name",) or element.get("name") in (
                "application-name", "apple-mobile-web-app-title"):
            found.append(element.get("content") or "")
    for node in jsonld_objects(tree):
        if node.get("@type") in ("Organization", "NewsMediaOrganization", "WebSite"):
            found.append(str(node.get("name") or ""))
        publisher = node.get("publisher")
        if isinstance(publisher, dict):
            found.append(str(publisher.get("name") or ""))
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    if host:
        found.append(host.split(".")[0])
    return [_key(n) for n in found if _key(n)]


def _is_outlet_name(segment: str, names: list[str]) -> bool:
    key = _key(segment)
    return bool(key) and any(
        key == n or (len(n) > 3 and (key in n or (n in key and len(key) <= 2 * len(n))))
        for n in names)


def _key(text: str) -> str:
    """Compare names by letters only: no spaces, dots, hamza or case differences."""
    return re.sub(r"[\W_]+", "", normalize(text))
