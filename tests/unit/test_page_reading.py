"""Headlines, dates, per-outlet rules and non-article pages, on small pages written here."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from lxml import html

from crawler.registry.extraction_options import parse_extraction_rules
from rasd.config import ConfigError
from rasd.text.article_page import read_page
from rasd.text.dates import Published, published, story_moment
from rasd.text.page_rules import ExtractionRules, non_article_reason
from rasd.text.titles import headline

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)


def page(head: str = "", body: str = "") -> html.HtmlElement:
    return html.document_fromstring(f"<html><head>{head}</head><body>{body}</body></html>")


@pytest.mark.parametrize("head, body, names, expected", [
    ('<title>الرئاسي يجتمع - بوابة الوسط</title>', "<h1>الرئاسي يجتمع</h1>", (),
     "الرئاسي يجتمع"),
    ('<meta property="og:title" content="الوسط | الرئاسي يجتمع">', "", ("الوسط",),
     "الرئاسي يجتمع"),
    ('<meta property="og:site_name" content="اليوم السابع">'
     '<title>وزير: لا زيادة في الأسعار - اليوم السابع</title>', "", (), "وزير: لا زيادة في الأسعار"),
    ('<title>حفتر - الدبيبة: لقاء في روما</title>', "", ("بوابة الوسط",), "حفتر - الدبيبة: لقاء في روما"),
    ('<title>خبر - قسم - البيان</title>', "<h1>البيان</h1><h1>خبر</h1>", ("البيان",), "خبر"),
])
def test_headline_without_outlet_name(head, body, names, expected):
    assert headline(page(head, body), "https://alwasat.ly/news/1", names) == expected


def test_dates_prefer_the_article_and_keep_their_precision():
    tree = page('<meta property="article:published_time" content="2020-12-01 02:00:00">'
                '<script type="application/ld+json">{"@type": "NewsArticle", '
                '"datePublished": "2020-12-01T02:00:00+03:00"}</script>',
                '<header><time datetime="2026-11-22">today</time></header>')
    when = published(tree, "https://x.ly/a", now=NOW)
    assert (when.date, when.at, when.origin) == ("2020-12-01", "2020-11-30T23:00:00+00:00",
                                                   "json-ld")
    naive = page('<meta property="article:published_time" content="2020-12-01 02:00:00">')
    assert published(naive, "https://x.ly/a", now=NOW).at is None          # no zone: day only
    zoned = published(naive, "https://x.ly/a", zone="Africa/Tripoli", now=NOW)
    assert zoned.at == "2020-12-01T00:00:00+00:00" and zoned.date == "2020-12-01"
    midnight = page('<span property="dc:date" content="2019-02-08T00:00:00+01:00"></span>')
    assert published(midnight, "https://x.ly/a", now=NOW) == Published("2019-02-08", None, "meta")


def test_dates_reject_the_future_the_prehistoric_and_bare_years():
    future = page('<meta property="article:published_time" content="2027-01-01T10:00:00Z">')
    assert published(future, "https://x.ly/2025/3/4/a", now=NOW).date == "2025-03-04"
    old = page('<meta name="pubdate" content="1998-05-01">')
    assert published(old, "https://x.ly/a", founded=date(2011, 1, 1), now=NOW).date is None
    year_only = page('<meta name="date" content="2013">')
    assert published(year_only, "https://x.ly/a", guess=lambda: "2013-01-01", now=NOW).at is None


def test_arabic_byline_with_the_outlet_zone():
    tree = page(body='<div class="by">تم نشره الجمعة 24 نيسان / أبريل 2020 09:22 مساءً</div>')
    when = published(tree, "https://x.jo/a", zone="Asia/Amman", selector=".by", now=NOW)
    assert (when.date, when.at) == ("2020-04-24", "2020-04-24T18:22:00+00:00")
    maghreb = page(body='<p class="d">الجمعة 8 فيفري 2019</p>')
    assert published(maghreb, "https://x.tn/a", selector="p.d", now=NOW).date == "2019-02-08"


def test_story_moment_uses_the_same_day_rule():
    assert story_moment(None, "2020-06-03", "2026-01-01T00:00:00+00:00") == \
        "2020-06-03T12:00:00+00:00"
    assert story_moment("2020-06-02T23:01:00+00:00", "2020-06-03", "x") == \
        "2020-06-02T23:01:00+00:00"
    assert story_moment(None, None, "2026-01-01T00:00:00+00:00") == "2026-01-01T00:00:00+00:00"


def test_non_article_pages_are_named():
    headlines = "".join(f"<li><a href='/n/{i}'>عنوان خبر رقم {i}</a></li>" for i in range(20))
    front = f"<html><body><ul>{headlines}</ul></body></html>"
    assert "listing URL" in non_article_reason(page(), "https://x.ly/tag/libya", "text")
    reason = non_article_reason(html.document_fromstring(front), "https://x.ly/libya",
                                "\n".join(f"عنوان خبر رقم {i}" for i in range(20)))
    assert reason and "short headlines" in reason
    article = "\n".join(["فقرة طويلة من نص الخبر " * 12] * 4)
    assert non_article_reason(page(), "https://x.ly/news/libya/1", article) is None


def test_removal_and_body_selectors():
    paragraphs = "".join(f"<p>الفقرة {i} من الخبر وفيها كلام كثير عن الموضوع نفسه.</p>"
                         for i in range(8))
    source = (f"<html><body><h1>العنوان</h1><div class='lead'><p>المقدمة وحدها.</p></div>"
              f"<div class='text'>{paragraphs}<div class='inject'>اقرأ أيضا: خبر آخر</div>"
              f"</div></body></html>")
    rules = ExtractionRules(remove=(".inject",), body=".lead, .text")
    reading = read_page(source, "https://x.ly/a", rules, now=NOW)
    assert reading.text.startswith("المقدمة وحدها.") and "اقرأ أيضا" not in reading.text


@pytest.mark.parametrize("table, message", [
    ({"timezone": "Mars/Olympus"}, "IANA time zone"),
    ({"founded": "last year"}, "'founded'"),
    ({"remove": ["div[["]}, "not a valid CSS or XPath"),
    ({"date_selector": ""}, "'date_selector'"),
])
def test_registry_rejects_bad_extraction_settings(table, message):
    with pytest.raises(ConfigError, match=message):
        parse_extraction_rules(table, "sources.toml: [sources.x]")

