"""Every real outlet page of tests/outlets, read as the extract stage reads it.

One test per page (Fundus's model): the headline exactly, the publication day in the outlet's
time (and the UTC minute where the page states one, no time where it gives only a day), the
three expected passages of the body, none of the page's furniture, no worse than trafilatura's
defaults on anything, and the same record as `extracted` in the expected file (regenerate it
with benchmarks/regenerate_outlet_expectations.py after a deliberate change).
"""
from __future__ import annotations

from pathlib import Path

import pytest
import trafilatura

from crawler.registry.extraction_options import rules_by_slug
from rasd.text.corpus import load_corpus, read_corpus_page, score, snapshot
from rasd.text.encoding import decode_html

CORPUS = Path(__file__).resolve().parents[1] / "outlets"
PAGES = load_corpus(CORPUS)
RULES = rules_by_slug(outlets_file=CORPUS / "outlets.toml")


def test_the_corpus_is_real_and_broad():
    assert len(PAGES) >= 13 and len({p.slug for p in PAGES}) >= 10
    for page in PAGES:
        source = page.expected["source"]
        assert source["repository"] and len(source["commit"]) == 40
        assert page.slug in RULES, f"{page.slug} has no extraction settings"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.id)
def test_outlet_page(page):
    reading = read_corpus_page(page, RULES[page.slug])
    assert reading is not None and reading.not_article is None
    ours = score(page, reading.title, reading.published.date, reading.text,
                 reading.published.at, judge_time=True)
    assert ours.title_exact, reading.title
    assert ours.day_right, reading.published
    assert ours.time_right is not False, reading.published
    assert ours.sentences_kept == ours.sentences, reading.text
    assert ours.furniture_leaked == []

    html, _ = decode_html(page.html, None)
    plain = trafilatura.bare_extraction(html, url=page.url, with_metadata=True)
    theirs = score(page, plain.title, plain.date, plain.text)
    assert ours.not_worse_than(theirs) == []

    assert snapshot(reading) == page.expected["extracted"], \
        "extraction changed: run benchmarks/regenerate_outlet_expectations.py if deliberate"
