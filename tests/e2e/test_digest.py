"""The digest rendered from a real database built by replaying the seeds (tests/support/digest_db):
each story once with its topics, duplicates folded, the topic table and its charts, an empty
day, hostile content, one topic's feed; from a SQLite file and from a PostgreSQL database."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import feedparser
import lxml.etree
import lxml.html
import pytest

from rasd.digest import write_digest, write_period
from rasd.digest.period import Period, yesterday
from rasd.digest.render import NO_MATCHES, short
from tests.conftest import execute, query, run_rasd
from tests.support import digest_db
from tests.support.digest_db import DAY, TZ


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def built(request, tmp_path_factory) -> digest_db.DigestDb:
    target = (request.getfixturevalue("postgres_cluster").new_database()
              if request.param == "postgresql" else None)
    return digest_db.build(tmp_path_factory.mktemp("digest"), target)


def _render(built, fmt: str, out, day: date = DAY) -> str:
    return write_digest(built.path, day, out_dir=out, fmt=fmt, tz=TZ).read_text(encoding="utf-8")


def _articles(stories: list[dict]) -> list[dict]:
    return [a for story in stories for a in story["articles"]]


def test_every_seed_appears_once_in_one_story_with_its_topics_counts_and_change(built, tmp_path):
    data = json.loads(_render(built, "json", tmp_path))
    ids = [a["id"] for a in _articles(data["stories"])]
    assert sorted(ids) == sorted([*built.seed_ids, built.hostile_id, built.js_id])  # copy folded
    assert len(ids) == len(set(ids))                            # each article once
    assert data["match_count"] == 8 and data["previous_count"] == 1
    haftar = data["topics"]["haftar"]
    assert haftar["label"] == "خليفة حفتر وأبناؤه"               # the watchlist's description
    assert haftar["stories"] == sum("haftar" in s["topics"] for s in data["stories"]) == 4
    assert (haftar["articles"], haftar["previous"]) == (8, 1)
    assert haftar["days"][-1] == "2026-11-20" and len(haftar["days"]) == 14
    assert haftar["daily"][-2:] == [1, 8] and haftar["surge"] is True   # 8 >= 2 × (1/13)
    assert data["outlet_counts"] == {"replay": 6, "الناسخ": 1, "<i>منفذ</i> خبيث": 1}
    # importance: more outlets first, then more topics, then the most recently updated
    keys = [(len(s["outlets"]), len(s["topics"]), s["last_updated"]) for s in data["stories"]]
    assert keys == sorted(keys, reverse=True) and data["stories"][0]["outlets"] == [
        "replay", "الناسخ"]

    page = lxml.html.fromstring(_render(built, "html", tmp_path))
    text = " ".join(page.text_content().split())
    for seed_id, title in zip(built.seed_ids, digest_db.seed_titles(), strict=True):
        assert len(page.xpath(f'//li[@data-article="{seed_id}"]')) == 1, seed_id
        assert short(title) in text, title
    chips = page.xpath('//ul[contains(@class, "topics-of-story")]/li/text()')
    assert "خليفة حفتر وأبناؤه" in chips and "haftar" not in chips
    assert page.xpath('//bdi[contains(@class, "change")]/text()')[0] == "+7"
    assert page.xpath('//tr[@data-topic="haftar"][contains(@class, "rising")]')
    bars = page.xpath('//tr[@data-topic="haftar"]//svg/rect')
    assert len(bars) == 14 and bars[-1].get("class") == "last"
    assert int(bars[-1].get("height")) > int(bars[-2].get("height")) > 0
    toc = page.xpath('//nav[@class="toc"]//a/@href')
    assert toc[3:] == [f"#story-{s['key']}" for s in data["stories"]]
    first = page.xpath('//article[@data-story]//li[@data-article]')[0]
    assert "2026-11-20 09:05" in first.text_content()           # published 07:05 UTC, local +2


def test_duplicates_fold_into_their_original_and_stories_group_articles(built, tmp_path):
    data = json.loads(_render(built, "json", tmp_path))
    stories = data["stories"]
    original = next(a for a in _articles(stories) if a["id"] == built.seed_ids[0])
    assert [d["id"] for d in original["duplicates"]] == [built.duplicate_id]
    assert original["duplicates"][0]["source"] == "الناسخ"
    assert all(a["id"] != built.duplicate_id for a in _articles(stories))
    carried = next(s for s in stories if s["articles"][0]["id"] == built.seed_ids[0])
    assert carried["outlets"] == ["replay", "الناسخ"]
    assert {"africom", "haftar"} <= set(carried["topics"])

    grouped = [s for s in stories if s["title"] == digest_db.STORY_TITLE]
    assert len(grouped) == 1, "a story is shown once"
    assert [a["id"] for a in grouped[0]["articles"]] == built.seed_ids[1:3]
    assert grouped[0]["first_seen"] == "2026-11-19 22:00"     # from the stories table, local
    assert grouped[0]["last_updated"] == "2026-11-20 11:30"
    assert grouped[0]["lede"] and grouped[0]["lede"] != grouped[0]["title"]

    md = _render(built, "md", tmp_path)
    assert md.count(digest_db.COPY_URL) == 1                    # once: each story once
    assert "نُشر أيضاً في: [الناسخ](<https://copy.example/news/1>)" in md
    assert "| خليفة حفتر وأبناؤه | 4 | 8 (+7) |" in md


def test_an_empty_day_says_so_plainly_in_every_format(built, tmp_path):
    empty = DAY + timedelta(days=2)
    html = lxml.html.fromstring(_render(built, "html", tmp_path, empty))
    assert html.xpath('//*[@id="empty"]')[0].text_content().strip() == NO_MATCHES
    assert not html.xpath("//article[@data-story]")
    # the topics stay in the summary table, quiet today, with their last 14 days
    assert html.xpath('//tr[@data-topic="haftar"]//svg/rect[@class="last"]/@height') == ["1"]
    assert NO_MATCHES in _render(built, "md", tmp_path, empty)
    quiet = json.loads(_render(built, "json", tmp_path, empty))
    assert quiet["stories"] == [] and quiet["topics"]["haftar"]["daily"][-3:] == [8, 0, 0]
    feed = feedparser.parse(_render(built, "atom", tmp_path, empty))
    assert not feed.bozo and feed.entries == []
    after = lxml.html.fromstring(_render(built, "html", tmp_path, DAY + timedelta(days=1)))
    assert "اليوم السابق: 8" in after.xpath('//*[@id="empty"]')[0].text_content()


def test_hostile_titles_snippets_and_urls_are_text_and_never_links(built, tmp_path):
    raw = _render(built, "html", tmp_path)
    page = lxml.html.fromstring(raw)
    assert not page.xpath("//script | //img | //b | //i | //iframe | //object")
    assert not page.xpath("//*[@onerror or @onload]")
    # the only SVG are the charts, drawn from numbers: rectangles and their titles
    assert {el.tag for svg in page.xpath("//svg") for el in svg.iter()} == {"svg", "rect", "title"}
    assert all(svg.get("class") == "spark" for svg in page.xpath("//svg"))
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
    assert len(entries) == 4 and all("javascript" not in h for hs in links.values() for h in hs)
    assert links[digest_db.HOSTILE_TITLE] == []                  # a file:// URL is no link
    copied = next(e for e in entries.values() if "الناسخ" in e.summary)   # a story, once
    topics = {t for (t,) in query(
        built.path, "SELECT DISTINCT topic FROM matches WHERE article_id IN (SELECT id FROM"
        " articles WHERE story_id = (SELECT story_id FROM articles WHERE id = ?))",
        built.seed_ids[0])}
    assert {"africom", "haftar"} <= topics
    assert {t.term for t in copied.tags} == topics
    assert {t.label for t in copied.tags} >= {"خليفة حفتر وأبناؤه"}


def test_a_quoting_url_stays_one_attribute(built, tmp_path):
    start = datetime(2026, 11, 19, 0, 0)
    path, _ = write_period(built.path, Period.between(start, start + timedelta(days=1), TZ),
                           out_dir=tmp_path)
    page = lxml.html.fromstring(path.read_text(encoding="utf-8"))
    assert set(page.xpath('//a[not(starts-with(@href, "#"))]/@href')) == {digest_db.QUOTE_URL}
    assert not page.xpath("//script")
    assert path.name == "2026-11-19T0000_2026-11-20T0000.html"


def test_regenerating_replaces_the_file_and_its_record(built, tmp_path):
    first = _render(built, "html", tmp_path)
    execute(built.path, "INSERT INTO matches (article_id, topic, term, count, position, snippet)"
                        f" VALUES ({built.hostile_id:d}, 'late', 'حفتر', 1, 0, 'حفتر')")
    try:
        second = _render(built, "html", tmp_path)
    finally:
        execute(built.path, "DELETE FROM matches WHERE topic = 'late'")
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
    assert len(feedparser.parse(out.read_text(encoding="utf-8")).entries) == 4   # stories
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


def test_one_topic_feed_for_readers(built, tmp_path):
    everything = json.loads(_render(built, "json", tmp_path))
    expected = [s["key"] for s in everything["stories"] if "flintlock" in s["topics"]]
    out = tmp_path / "flintlock.atom"
    run_rasd("digest", "--date", "2026-11-20", "--format", "atom", "--topic", "flintlock",
             "--out", str(out), "--db", str(built.path), "--tz", TZ)
    feed = feedparser.parse(out.read_text(encoding="utf-8"))
    assert not feed.bozo and feed.feed.title.endswith("تمرين فلينتلوك للقوات الخاصة")
    assert len(feed.entries) == len(expected) >= 1
    assert all([t.term for t in e.tags] == ["flintlock"] for e in feed.entries)
    whole = feedparser.parse(_render(built, "atom", tmp_path))
    assert feed.feed.id != whole.feed.id                        # its own feed
    unknown = run_rasd("digest", "--topic", "nope", "--db", str(built.path), check=False)
    assert unknown.returncode == 2 and "no topic 'nope' in the watchlist" in unknown.stderr
