"""The digest rendered from a real database built by replaying the seeds (tests/support/digest_db):
every seed under its topics, duplicates folded, stories grouped, an empty day, hostile content."""
from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import feedparser
import lxml.etree
import lxml.html
import pytest
import sqlite_utils

from rasd.digest import write_digest, write_period
from rasd.digest.period import Period, yesterday
from rasd.digest.render import NO_MATCHES, short
from tests.conftest import query, run_rasd
from tests.support import digest_db
from tests.support.digest_db import DAY, TZ


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> digest_db.DigestDb:
    return digest_db.build(tmp_path_factory.mktemp("digest"))


def _render(built, fmt: str, out, day: date = DAY) -> str:
    return write_digest(built.path, day, out_dir=out, fmt=fmt, tz=TZ).read_text(encoding="utf-8")


def _articles(topic_stories: list[dict]) -> list[dict]:
    return [a for story in topic_stories for a in story["articles"]]


def test_every_seed_appears_under_its_topics_with_counts_and_change(built, tmp_path):
    data = json.loads(_render(built, "json", tmp_path))
    for topic in ("africom", "haftar"):
        ids = {a["id"] for a in _articles(data["topics"][topic])}
        assert set(built.seed_ids) <= ids, topic
    assert {a["id"] for a in _articles(data["topics"]["haftar"])} == {
        *built.seed_ids, built.hostile_id, built.js_id}            # the copy is folded
    assert data["match_count"] == 8 and data["previous_count"] == 1
    # the header counts what the topic lists: seeds grouped by dedup and by the test's story
    haftar_stories = len(data["topics"]["haftar"])
    assert 2 <= haftar_stories < 8
    assert data["topic_counts"]["haftar"] == {"stories": haftar_stories, "articles": 8,
                                              "previous": 1}
    assert data["outlet_counts"] == {"replay": 6, "الناسخ": 1, "<i>منفذ</i> خبيث": 1}

    page = lxml.html.fromstring(_render(built, "html", tmp_path))
    for topic in ("africom", "haftar"):
        section = page.xpath(f'//section[@data-topic="{topic}"]')[0]
        text = section.text_content()
        for seed_id, title in zip(built.seed_ids, digest_db.seed_titles(), strict=True):
            assert section.xpath(f'.//li[@data-article="{seed_id}"]'), (topic, seed_id)
            assert short(title) in " ".join(text.split()), (topic, title)
    assert page.xpath('//bdi[contains(@class, "change")]/text()')[0] == "+7"
    first = page.xpath('//section[@data-topic="haftar"]//li[@data-article]')[0]
    assert "2026-11-20 09:05" in first.text_content()           # published 07:05 UTC, local +2


def test_duplicates_fold_into_their_original_and_stories_group_articles(built, tmp_path):
    data = json.loads(_render(built, "json", tmp_path))
    stories = data["topics"]["africom"]
    original = next(a for a in _articles(stories) if a["id"] == built.seed_ids[0])
    assert [d["id"] for d in original["duplicates"]] == [built.duplicate_id]
    assert original["duplicates"][0]["source"] == "الناسخ"
    assert all(a["id"] != built.duplicate_id for a in _articles(stories))
    carried = next(s for s in stories if s["articles"][0]["id"] == built.seed_ids[0])
    assert carried["outlets"] == ["replay", "الناسخ"]

    grouped = [s for s in stories if s["title"] == digest_db.STORY_TITLE]
    assert len(grouped) == 1, "a story is shown once per topic"
    assert [a["id"] for a in grouped[0]["articles"]] == built.seed_ids[1:3]
    assert grouped[0]["first_seen"] == "2026-11-19 22:00"     # from the stories table, local

    md = _render(built, "md", tmp_path)
    original_topics = {t for t, s in data["topics"].items()
                       if any(a["id"] == built.seed_ids[0] for a in _articles(s))}
    assert {"africom", "haftar"} <= original_topics
    assert md.count(digest_db.COPY_URL) == len(original_topics)   # once under each topic
    assert "نُشر أيضاً في: [الناسخ](<https://copy.example/news/1>)" in md


def test_an_empty_day_says_so_plainly_in_every_format(built, tmp_path):
    empty = DAY + timedelta(days=2)
    html = lxml.html.fromstring(_render(built, "html", tmp_path, empty))
    assert html.xpath('//*[@id="empty"]')[0].text_content().strip() == NO_MATCHES
    assert not html.xpath("//section[@data-topic]")
    assert NO_MATCHES in _render(built, "md", tmp_path, empty)
    assert json.loads(_render(built, "json", tmp_path, empty))["topics"] == {}
    feed = feedparser.parse(_render(built, "atom", tmp_path, empty))
    assert not feed.bozo and feed.entries == []
    after = lxml.html.fromstring(_render(built, "html", tmp_path, DAY + timedelta(days=1)))
    assert "اليوم السابق: 8" in after.xpath('//*[@id="empty"]')[0].text_content()


def test_hostile_titles_snippets_and_urls_are_text_and_never_links(built, tmp_path):
    raw = _render(built, "html", tmp_path)
    page = lxml.html.fromstring(raw)
    assert not page.xpath("//script | //img | //svg | //b | //i | //iframe | //object")
    assert not page.xpath("//*[@onerror or @onload]")
    text = page.text_content()
    assert digest_db.HOSTILE_TITLE in text                       # shown, as text
    assert digest_db.HOSTILE_SNIPPET_BIT in text
    assert '"><svg onload=alert(3)>' in text and "<i>منفذ</i> خبيث" in text
    hrefs = page.xpath("//a/@href")
    assert hrefs and all(h.startswith(("http://", "https://", "#")) for h in hrefs)
    js_item = page.xpath(f'//li[@data-article="{built.js_id}"]')
    js_story = js_item[0].getparent().getparent()
    assert "مقال <b>غامق</b> عن حفتر" in js_story.text_content()
    assert not js_story.xpath(".//a"), "a javascript: URL is not a link"
    # No fetch of anything: no external resources, and a policy that forbids them anyway.
    assert not page.xpath("//link | //*[@src]") and "url(" not in raw and "@import" not in raw
    csp = page.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')[0]
    assert "default-src 'none'" in csp

    md = _render(built, "md", tmp_path)
    assert "javascript:" not in md and "<script>" not in md and "\\<script\\>" in md
    feed_xml = _render(built, "atom", tmp_path)
    lxml.etree.fromstring(feed_xml.encode())                    # well-formed XML
    entries = {e.id: e for e in feedparser.parse(feed_xml).entries}
    titles = {e.title: e for e in entries.values()}
    assert digest_db.HOSTILE_TITLE in titles                     # the text, not markup
    links = {e.title: [link.href for link in e.get("links", [])] for e in entries.values()}
    assert links["مقال <b>غامق</b> عن حفتر"] == []
    assert len(entries) == 7 and all("javascript" not in h for hs in links.values() for h in hs)
    assert links[digest_db.HOSTILE_TITLE] == []                  # a file:// URL is no link
    copied = next(e for e in entries.values() if "الناسخ" in e.summary)
    with sqlite3.connect(built.path) as conn:
        topics = {t for (t,) in conn.execute(
            "SELECT DISTINCT topic FROM matches WHERE article_id = ?", [built.seed_ids[0]])}
    assert {"africom", "haftar"} <= topics
    assert {t.term for t in copied.tags} == topics


def test_a_quoting_url_stays_one_attribute(built, tmp_path):
    start = datetime(2026, 11, 19, 0, 0)
    path, _ = write_period(built.path, Period.between(start, start + timedelta(days=1), TZ),
                           out_dir=tmp_path)
    page = lxml.html.fromstring(path.read_text(encoding="utf-8"))
    assert page.xpath('//a[not(starts-with(@href, "#"))]/@href') == [digest_db.QUOTE_URL]
    assert not page.xpath("//script")
    assert path.name == "2026-11-19T0000_2026-11-20T0000.html"


def test_regenerating_replaces_the_file_and_its_record(built, tmp_path):
    first = _render(built, "html", tmp_path)
    db = sqlite_utils.Database(built.path)
    db["matches"].insert({"article_id": built.hostile_id, "topic": "late", "term": "حفتر",
                          "count": 1, "position": 0, "snippet": "حفتر"})
    db.conn.commit()
    try:
        second = _render(built, "html", tmp_path)
    finally:
        db.execute("DELETE FROM matches WHERE topic = 'late'")
        db.conn.commit()
    assert 'data-topic="late"' not in first and 'data-topic="late"' in second
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026-11-20.html"]
    rows = query(built.path, "SELECT path, articles FROM digests WHERE day = ? AND format = 'html'",
                 DAY.isoformat())
    assert rows == [(str(tmp_path / "2026-11-20.html"), 8)]


def test_digest_command_defaults_to_yesterday_as_html_in_digests(built, tmp_path):
    before = yesterday(datetime.now(ZoneInfo(TZ)), TZ)
    result = run_rasd("digest", "--db", str(built.path), "--tz", TZ, cwd=tmp_path)
    after = yesterday(datetime.now(ZoneInfo(TZ)), TZ)
    written = result.stdout.strip()
    assert written in (f"digests/{before}.html", f"digests/{after}.html")
    assert (tmp_path / written).read_text(encoding="utf-8").startswith("<!doctype html>")


def test_digest_command_periods_formats_and_bad_options(built, tmp_path):
    out = tmp_path / "feed.atom"
    run_rasd("digest", "--since", "2026-11-20T11:00", "--until", "2026-11-20 12:00",
             "--format", "atom", "--out", str(out), "--db", str(built.path), "--tz", TZ)
    assert len(feedparser.parse(out.read_text(encoding="utf-8")).entries) == 7
    run_rasd("digest", "--since", "2026-11-20T11:31", "--until", "2026-11-20T12:00",
             "--format", "md", "--out", str(out), "--db", str(built.path), "--tz", TZ)
    assert NO_MATCHES in out.read_text(encoding="utf-8")
    both = run_rasd("digest", "--date", "2026-11-20", "--since", "2026-11-19",
                    "--db", str(built.path), check=False)
    assert both.returncode == 2 and "either --date or --since" in both.stderr
    backwards = run_rasd("digest", "--since", "2026-11-20", "--until", "2026-11-19",
                         "--db", str(built.path), check=False)
    assert backwards.returncode == 2 and "must be after its start" in backwards.stderr
    zone = run_rasd("digest", "--tz", "Mars/Olympus", "--db", str(built.path), check=False)
    assert zone.returncode == 2 and "unknown time zone" in zone.stderr
    nomail = run_rasd("digest", "--date", "2026-11-20", "--email", "a@example.org",
                      "--db", str(built.path), cwd=tmp_path, check=False,
                      env={"RASD_SMTP_HOST": ""})
    assert nomail.returncode == 1 and "Traceback" not in nomail.stderr
    assert nomail.stderr.strip() == ("Error: mail: RASD_SMTP_HOST is not set "
                                     "(the SMTP server to send with)")
