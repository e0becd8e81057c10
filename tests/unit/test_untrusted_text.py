"""Scraped text that would mislead: a UTF-8 page with a few bad bytes, bidi controls and
control characters in titles, titles of any length."""
from __future__ import annotations

import asyncio
from datetime import date

import pytest

from crawler.items import ArticleItem
from pipelines.extract import ExtractPipeline
from rasd.devsite.outlets import TEXTS, article_page
from rasd.digest.content import load_digest
from rasd.digest.period import Period
from rasd.digest.render import RENDERERS
from rasd.store.articles import save_article
from rasd.store.database import open_store
from rasd.text.encoding import decode_html
from rasd.text.extract import extract_page
from rasd.text.language import detect_language
from rasd.text.untrusted import BIDI_CONTROLS, TITLE_MAX_CHARS, clean_title, strip_controls

TITLE, PARAGRAPHS = TEXTS[0]
RLO = "\u202e"


def page_with_bad_bytes(declared: bool) -> bytes:
    html = article_page(TITLE, PARAGRAPHS, "utf-8" if declared else None).encode()
    middle = len(html) // 2
    middle = html.index(b"</p>", middle)   # between two paragraphs, not inside a letter
    return html[:middle] + b"\xff\xfe\xc3" + html[middle:]   # three invalid bytes


@pytest.mark.parametrize("declared", [True, False])
def test_a_utf8_page_with_a_few_bad_bytes_stays_utf8_and_arabic(declared):
    body = page_with_bad_bytes(declared)
    text, encoding = decode_html(body, "text/html")
    assert encoding == "utf-8"
    assert text.count("\ufffd") == 3 and PARAGRAPHS[0][:60] in text
    page = extract_page(body, "text/html", "http://o.example/a")
    assert page.encoding == "utf-8" and detect_language(page.text) == "ar"


def test_a_page_that_only_claims_utf8_is_still_read_as_windows_1256():
    body = article_page(TITLE, PARAGRAPHS, "utf-8").encode("cp1256", errors="ignore")
    text, encoding = decode_html(body, "text/html; charset=utf-8")
    assert encoding == "cp1256" and PARAGRAPHS[0][:40] in text


def test_titles_lose_bidi_and_control_characters_and_are_capped():
    assert clean_title(f"حفتر {RLO}txt.exe\u2066 في\x00 بنغازي\n") == "حفتر txt.exe في بنغازي"
    assert strip_controls("سطر\nوسطر\tآخر\u200f") == "سطر\nوسطر\tآخر\u200f"   # RLM is kept
    long = clean_title("كلمة " * 10_000)
    assert len(long) <= TITLE_MAX_CHARS and long.endswith("…")


def test_the_extract_stage_cleans_page_and_replayed_titles(tmp_path):
    stage = ExtractPipeline(min_chars=10, stats=None, rules={})   # RASD_WORKERS=1: in-process
    stage.open_spider()
    html = article_page(f"{RLO}عنوان مقلوب", PARAGRAPHS).encode()
    page = asyncio.run(stage.process_item(
        ArticleItem(url="http://o.example/a", body=html, headers={})))
    replayed = asyncio.run(stage.process_item(ArticleItem(
        url="file:///a.txt", title=f"{RLO}عنوان", text=f"نص\x00 {RLO}المقال")))
    stage.close_spider()
    for item in (page, replayed):
        assert not set(item["title"] + item["text"]) & set(BIDI_CONTROLS + "\x00")


def test_bidi_controls_stored_by_an_older_version_never_reach_the_digest(store_target):
    store = open_store(store_target)
    save_article(store, {"url": "https://o.example/1", "source": "o", "lang": "ar",
                         "title": f"حفتر {RLO}يلتقي\u202b وفدا", "text": "نص",
                         "fetched_at": "2026-11-20T09:00:00+00:00"},
                 [("haftar", "حفتر", 1, 0, f"حفتر {RLO}في\u2067 بنغازي", "حفتر")])
    digest = load_digest(store, Period.day(date(2026, 11, 20), "UTC"))
    for fmt, render in RENDERERS.items():
        rendered = render(digest)
        assert "يلتقي" in rendered, fmt
        assert not set(rendered) & set(BIDI_CONTROLS), fmt
