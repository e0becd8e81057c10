"""Per-outlet extraction rules, and the page-level judgements that do not need trafilatura.

Generic extraction gets most outlets right; the registry fixes the rest outlet by outlet, as
Fundus does with a parser per publisher: elements to remove before extraction (comment
guidelines, read-also boxes inside the body), and where needed where the title, the date or the
body is. A selector is CSS, or XPath when it starts with `/` or `(`.

`non_article_reason` says why a page is not an article (a section front, a tag page, a list of
headlines) so that it is dropped with that reason instead of stored as one.
"""
from __future__ import annotations

import json
import re
import statistics
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from lxml import etree
from lxml.cssselect import CSSSelector
from lxml.html import HtmlElement

_SPACE = re.compile(r"\s+")


def squash(text: str | None) -> str:
    """NFC, one space for any run of white space: how titles and passages are compared."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text or "")).strip()


@dataclass(frozen=True)
class ExtractionRules:
    """What rasd knows about one outlet's pages (all optional)."""

    name: str = ""                    # the outlet's name, to strip from titles
    timezone: str | None = None       # IANA zone of times the outlet writes without an offset
    founded: date | None = None       # no article is older than this
    remove: tuple[str, ...] = ()      # selectors of elements that are never the article
    title: str | None = None          # selector of the headline
    date: str | None = None           # selector of the publication date (text or datetime)
    body: str | None = None           # selector of the article body


@lru_cache(maxsize=256)
def compile_selector(selector: str):
    """A compiled CSS or XPath selector; ValueError with the reason when it is not valid."""
    try:
        if selector.lstrip().startswith(("/", "(")):
            return etree.XPath(selector)
        return CSSSelector(selector, translator="html")
    except Exception as exc:   # cssselect and lxml raise several kinds
        raise ValueError(f"{selector!r} is not a valid CSS or XPath selector: {exc}") from None


def select(tree: HtmlElement, selector: str) -> list[HtmlElement]:
    """The elements `selector` finds in `tree` (XPath results that are not elements dropped)."""
    return [e for e in compile_selector(selector)(tree) if isinstance(e, etree._Element)]


def remove_elements(tree: HtmlElement, selectors: tuple[str, ...]) -> int:
    """Drop what the outlet's `remove` selectors find (keeping the text after each); a count."""
    removed = 0
    for selector in selectors:
        for element in select(tree, selector):
            if element.getparent() is not None:
                element.drop_tree()
                removed += 1
    return removed


# Path segments that only listing pages have.
_LISTING_SEGMENTS = {"tag", "tags", "category", "categories", "section", "sections", "author",
                     "authors", "search", "topic", "topics", "hashtag", "archive"}
_ARTICLE_TYPES = re.compile(r"Article|NewsArticle|Report|BlogPosting|LiveBlogPosting|"
                            r"AnalysisNewsArticle|OpinionNewsArticle|Review")
_LISTING_TYPES = {"CollectionPage", "ItemList", "SearchResultsPage", "ProfilePage"}


def non_article_reason(tree: HtmlElement, url: str, text: str) -> str | None:
    """Why this page is a listing rather than an article, or None when it reads as an article.

    Checked in order: the URL (a tag, section, author or search path), the page's own word
    (og:type, JSON-LD @type), and the extracted text (a column of short headlines).
    """
    segments = [s.lower() for s in unquote(urlsplit(url).path).split("/") if s]
    listing = [s for s in segments[:-1] if s in _LISTING_SEGMENTS]
    if listing or (segments and segments[-1] in _LISTING_SEGMENTS):
        return f"a listing URL (/{(listing or segments[-1:])[0]}/)"
    types = _jsonld_types(tree)
    if types & _LISTING_TYPES and not any(_ARTICLE_TYPES.search(t) for t in types):
        return f"the page calls itself a {sorted(types & _LISTING_TYPES)[0]} (JSON-LD)"
    if _headline_column(text) and not any(_ARTICLE_TYPES.search(t) for t in types):
        og_type = _meta(tree, "og:type")
        return "the text is a list of short headlines, not paragraphs" + (
            f" (og:type {og_type!r})" if og_type and og_type.lower() != "article" else "")
    return None


def _headline_column(text: str) -> bool:
    """Ten or more lines, nearly all short and none a paragraph: a section front's text."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) < 10:
        return False
    lengths = [len(line) for line in lines]
    return statistics.median(lengths) < 80 and max(lengths) < 200


def _meta(tree: HtmlElement, key: str) -> str | None:
    for element in tree.iterfind(".//meta"):
        if key in (element.get("property"), element.get("name")):
            return (element.get("content") or "").strip() or None
    return None


def jsonld_objects(tree: HtmlElement) -> list[dict]:
    """Every JSON-LD object on the page, @graph members and list items flattened."""
    found: list[dict] = []

    def walk(node) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            found.append(node)
            walk(node.get("@graph", []))

    for script in tree.iterfind(".//script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            walk(json.loads(script.text or "", strict=False))
        except ValueError:
            continue
    return found


def _jsonld_types(tree: HtmlElement) -> set[str]:
    types: set[str] = set()
    for node in jsonld_objects(tree):
        kind = node.get("@type")
        types.update(kind if isinstance(kind, list) else [kind] if isinstance(kind, str) else [])
    return types
