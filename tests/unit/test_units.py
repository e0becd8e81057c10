"""Small parts of the spine: registry rules, encodings, the fixture site, the first matcher."""
from __future__ import annotations

from pathlib import Path

import pytest

from crawler.registry.sources import load_sources
from rasd.config import ConfigError
from rasd.text.encoding import decode_html
from rasd.text.watchlist import Watchlist, load_watchlist
from tests.conftest import SITE
from tests.support.seed_site import build_site

ARABIC = "<html><body><p>استقبل المشير خليفة حفتر وفد القيادة الأمريكية</p></body></html>"


def test_shipped_registry_and_watchlist_load():
    assert load_sources()
    topics = load_watchlist().topics
    assert {"africom", "haftar"} <= set(topics)


def test_source_owns_only_its_own_http_domains(tmp_path: Path):
    path = tmp_path / "s.toml"
    path.write_text('[sources.x]\nname = "x"\nhomepage = "https://www.outlet.example/"\n'
                    'feeds = ["https://feeds.outlet.example/rss"]\n'
                    'allowed_domains = ["outlet.example"]\narticle_pattern = "/news/"\n',
                    encoding="utf-8")
    source, = load_sources(path)
    assert source.owns("https://outlet.example/news/1")
    assert source.owns("http://m.outlet.example/news/1")
    assert not source.owns("https://outlet.example/about")
    assert not source.owns("https://evil.example/news/1")
    assert not source.owns("https://outlet.example.evil.example/news/1")
    assert not source.owns("javascript:alert(1)//outlet.example/news/")
    assert not source.owns("file:///etc/passwd")


def test_duplicate_free_registry_rejects_bad_pattern(tmp_path: Path):
    path = tmp_path / "s.toml"
    path.write_text('[sources.x]\nname = "x"\nhomepage = "https://x.example/"\n'
                    'feeds = ["https://x.example/rss"]\narticle_pattern = "("\n',
                    encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[sources.x\]: 'article_pattern'"):
        load_sources(path)


@pytest.mark.parametrize("encoding", ["utf-8", "cp1256", "iso8859-6"])
def test_arabic_page_without_declared_charset(encoding):
    text, found = decode_html(ARABIC.encode(encoding))
    assert text == ARABIC and found == encoding


def test_declared_charset_in_header_wins_when_it_decodes():
    body = ARABIC.encode("cp1256")
    assert decode_html(body, "text/html; charset=windows-1256") == (ARABIC, "cp1256")


def test_wrongly_declared_latin_charset_is_overruled():
    body = ARABIC.replace("<html>", '<html><meta charset="windows-1252">').encode("cp1256")
    text, found = decode_html(body)
    assert found == "cp1256" and "حفتر" in text


def test_utf8_bom():
    assert decode_html(b"\xef\xbb\xbf" + ARABIC.encode()) == (ARABIC, "utf-8")


def test_first_matcher_normalizes_and_respects_word_boundaries():
    watchlist = Watchlist({"haftar": ["حفتر"], "africom": ["أفريكوم", "AFRICOM"]})
    found = {(m.topic, m.term): m.count for m in watchlist.match(
        "وحفتر التقى بحَفْتَر وقائد افريكوم و Africom، لا حفترية")}
    assert found == {("haftar", "حفتر"): 2, ("africom", "أفريكوم"): 1,
                     ("africom", "AFRICOM"): 1}


def test_committed_fixture_site_is_up_to_date():
    for path, content in build_site.build().items():
        assert (SITE / path).read_bytes() == content, f"run python seeds/build_site.py ({path})"
