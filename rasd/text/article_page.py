"""One article page read the way rasd stores it: headline, body, publication date, verdict.

trafilatura finds the body (and the author and site name); rasd/text/titles.py, dates.py and
page_rules.py decide the headline, the date and whether the page is an article at all, with the
outlet's registry rules. The trafilatura options were chosen by measurement on the real-page
corpus (benchmarks/real_pages.py, docs/extraction.md): its defaults keep a lede that sits in its
own block beside the metadata, which `favor_precision`, `fast` and `include_comments=False` all
drop (comments come back apart in `doc.comments` and are never stored), and htmldate's
extensive search, most of the cost, runs only for a page that states no date of its own.
"""
from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass
from datetime import datetime

import trafilatura
from cssselect import HTMLTranslator
from htmldate import find_date
from lxml import html as lxml_html
from lxml.html import HtmlElement

from rasd.text.dates import Published, published
from rasd.text.page_rules import (
    ExtractionRules,
    non_article_reason,
    remove_elements,
    select,
    squash,
)
from rasd.text.titles import headline

TRAFILATURA_OPTIONS = {"include_comments": True, "include_tables": True,
                       "favor_precision": False, "fast": False, "deduplicate": False}
_NEVER_BODY = ("script", "style", "figure", "aside", "noscript")
_BLOCKS = ".//p | .//h2 | .//h3 | .//h4 | .//blockquote[not(.//p)] | .//li[not(.//p)]"
_DATE_PARAMS = {"original_date": True, "extensive_search": False, "outputformat": "%Y-%m-%d"}


@dataclass(frozen=True)
class Reading:
    """What rasd keeps of one page."""

    title: str
    text: str
    published: Published
    author: str | None = None
    site_name: str | None = None
    not_article: str | None = None   # why the page is not an article, when it is not


def read_page(html: str, url: str, rules: ExtractionRules = ExtractionRules(), *,
              feed_title: str | None = None, feed_date: str | None = None,
              now: datetime | None = None) -> Reading | None:
    """Read a decoded page (None when the HTML cannot be parsed or has no text at all)."""
    tree = _parse(html)
    if tree is None:
        return None
    doc = trafilatura.bare_extraction(
        tree, url=url, with_metadata=True, date_extraction_params=_DATE_PARAMS,
        prune_xpath=[_xpath(s) for s in rules.remove] or None, **TRAFILATURA_OPTIONS)
    if doc is None:
        return None
    text = (doc.text or "").strip()
    if rules.body:
        text = _body_text(tree, rules) or text
    names = tuple(n for n in (rules.name,) if n)
    title = headline(tree, url, names, rules.title) or (doc.title or feed_title or "").strip()
    when = published(tree, url, zone=rules.timezone, feed_date=feed_date,
                     guess=lambda: _guess_date(tree, url), founded=rules.founded, now=now,
                     selector=rules.date)
    return Reading(title, drop_leading_title(text, title), when, doc.author, doc.sitename,
                   non_article_reason(tree, url, text))


def drop_leading_title(text: str, title: str) -> str:
    """trafilatura keeps the page's <h1> as the first line; the title is stored apart."""
    first, _, rest = text.partition("\n")
    return rest.lstrip() if title and first.strip() == title.strip() else text


def _guess_date(tree: HtmlElement, url: str) -> str | None:
    """htmldate's extensive search: the last resort, for a page that states no date itself."""
    return find_date(tree, url=url, original_date=True, extensive_search=True,
                     outputformat="%Y-%m-%d")


def _parse(html: str) -> HtmlElement | None:
    try:
        return lxml_html.document_fromstring(html)
    except (ValueError, lxml_html.etree.ParserError):
        return None


def _xpath(selector: str) -> str:
    if selector.lstrip().startswith(("/", "(")):
        return selector
    return HTMLTranslator().css_to_xpath(selector)


def _body_text(tree: HtmlElement, rules: ExtractionRules) -> str:
    """The paragraphs of the outlet's own body selector, in page order (Fundus's way: the
    outlet says where the body is, so no boilerplate detection is run on it)."""
    lines: list[str] = []
    for part in select(tree, rules.body):
        part = deepcopy(part)
        remove_elements(part, (*rules.remove, *_NEVER_BODY))
        blocks = part.xpath(_BLOCKS) or [part]
        lines += [text for text in (squash(b.text_content()) for b in blocks) if text]
    return "\n".join(lines)
