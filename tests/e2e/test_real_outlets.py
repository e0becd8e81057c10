"""Crawling local outlets that behave like the real Arabic press, recording it, replaying it.

One recorded crawl of eight local outlets (rasd/devsite/outlets.py) serves every check here,
then one replay of the recording with every server still listening (to prove it sends nothing).
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from rasd.devsite.outlets import (
    BROWSER,
    NOW,
    PLAIN,
    atom,
    bbc_style,
    daily_sitemaps,
    google_news,
    picky,
    wordpress,
)
from rasd.devsite.server import FixtureServer
from tests.conftest import FAST, query, run_rasd

ARTICLE_COLUMNS = "url, source, title, text, published_at, lang, author, site_name, encoding"


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """Eight outlets, one recorded crawl of all of them, one replay of the recording."""
    tmp = tmp_path_factory.mktemp("outlets")
    servers = [FixtureServer(tmp).__enter__() for _ in range(7)]
    try:
        outlets = [wordpress(servers[0]), bbc_style(servers[1]), atom(servers[2]),
                   google_news(servers[3]), daily_sitemaps(servers[4]),
                   picky(servers[5], "picky", PLAIN), picky(servers[6], "picky-default", None)]
        registry = tmp / "sources.toml"
        registry.write_text("\n".join(o.toml() for o in outlets), encoding="utf-8")
        recording = tmp / "recording"
        crawl = run_rasd("crawl", "--sources", str(registry), "--db", str(tmp / "crawl.db"),
                         "--record", str(recording), "-s", f"RASD_NOW={NOW.isoformat()}",
                         "-s", f"USER_AGENT={BROWSER}", "-s", "RASD_SITEMAP_DAYS=2", *FAST)
        after_crawl = [Counter(s.requests) for s in servers]
        # the servers keep listening: the replay must not ask them anything
        replay = run_rasd("replay", str(recording), "--db", str(tmp / "replay.db"))
        after_replay = [Counter(s.requests) for s in servers]
        yield {"outlets": {o.slug: o for o in outlets}, "crawl": crawl, "replay": replay,
               "db": tmp / "crawl.db", "replay_db": tmp / "replay.db", "recording": recording,
               "after_crawl": after_crawl, "after_replay": after_replay, "servers": servers}
    finally:
        for server in servers:
            server.close()


def stored(db: Path, url: str) -> tuple | None:
    rows = query(db, "SELECT text, lang, encoding, title, published_at FROM articles "
                     "WHERE url = ?", url)
    return rows[0] if rows else None


def test_every_expected_article_is_stored_as_correct_unicode(world):
    db = world["db"]
    expected = {url: para for o in world["outlets"].values() for url, para in o.expected.items()}
    assert len(expected) == 11
    for url, paragraph in expected.items():
        row = stored(db, url)
        assert row is not None, f"not stored: {url}"
        text, lang, _, _, _ = row
        assert lang == "ar"
        assert squash(paragraph) in squash(text), f"{url}: text wrong or mis-decoded"
        assert "\ufffd" not in text and "Ø" not in text, f"{url}: mojibake"
    assert query(db, "SELECT count(*) FROM articles") == [(11,)]
    assert "articles: 11 new" in world["crawl"].stdout


def test_legacy_encodings_are_detected_wherever_declared(world):
    outlets = world["outlets"]
    encodings = {url: stored(world["db"], url)[2]
                 for slug in ("atomfeed", "gnews", "daily")
                 for url in outlets[slug].expected}
    assert sorted(encodings.values()) == ["cp1256"] * 4 + ["iso8859-6"] * 2


def test_redirects_and_canonical_links_decide_the_stored_url(world):
    db, wp, bbc = world["db"], world["outlets"]["wordpress"], world["outlets"]["bbcstyle"]
    urls = {u for (u,) in query(db, "SELECT url FROM articles")}
    # the WordPress short link /?p=102 redirected: the permalink is stored, not the short link
    assert wp.server.url("/2026/11/20/second/") in urls
    assert not any("?p=" in u for u in urls)
    # the BBC-style tracking parameters are gone thanks to the same-site canonical link
    assert bbc.server.url("/arabic/articles/c1") in urls
    assert not any("at_medium" in u for u in urls)
    # a canonical link to another site is ignored
    assert bbc.server.url("/arabic/articles/c2") in urls
    assert not any("elsewhere.example" in u for u in urls)


def test_feed_quirks_bom_entities_relative_links_missing_dates(world):
    db, outlets = world["db"], world["outlets"]
    # relative Atom links resolved against xml:base, despite the wrong charset in the header
    assert stored(db, outlets["atomfeed"].server.url("/ar/news/a1.html"))[4] == \
        "2026-11-21T10:00:00+00:00"
    # a guid-only item without a date is still crawled; its date comes from the page or none
    assert stored(db, outlets["bbcstyle"].server.url("/arabic/articles/c2")) is not None
    # Google News publication dates are converted to UTC
    assert stored(db, outlets["gnews"].server.url("/n/1.html"))[4] == "2026-11-21T23:00:00+00:00"


def test_robots_txt_disallowed_section_and_off_pattern_links_are_never_requested(world):
    for outlet, counts in zip(world["outlets"].values(), world["after_crawl"], strict=True):
        for path in outlet.never:
            assert counts[path] == 0, f"{outlet.slug}: {path} was requested"
    assert world["after_crawl"][0]["/robots.txt"] == 1


def test_only_recent_daily_sitemaps_of_a_gzip_index_are_followed(world):
    counts = world["after_crawl"][4]
    fetched = sorted(p for p in counts if p.startswith("/sitemaps/"))
    assert fetched == ["/sitemaps/2026-11-21.xml.gz", "/sitemaps/2026-11-22.xml.gz"]
    stats = query(world["db"], "SELECT stats FROM crawl_runs")[0][0]
    assert '"rasd/sitemaps/too_old": 398' in stats


def test_per_source_user_agent_gets_past_an_outlet_refusing_browsers(world):
    picky_server, default_server = world["servers"][5], world["servers"][6]
    assert picky_server.user_agents and set(picky_server.user_agents) == {PLAIN}
    assert stored(world["db"], picky_server.url("/p/1.html")) is not None
    # the same outlet without the override is refused; the failure is reported, not fatal
    assert set(default_server.user_agents) == {BROWSER}
    assert query(world["db"], "SELECT count(*) FROM articles WHERE source = 'picky-default'") \
        == [(0,)]
    assert "errors: 1 feed/sitemap failures" in world["crawl"].stdout
    # everyone else got the configured browser agent
    assert set(world["servers"][0].user_agents) == {BROWSER}


def test_recorded_crawl_replays_to_the_same_database_without_network(world):
    recording = world["recording"]
    assert (recording / "rasd-recording.json").is_file()
    assert (recording / "sources.toml").read_text(encoding="utf-8").count("[sources.") == 7
    assert world["after_replay"] == world["after_crawl"], "the replay touched the network"
    assert "articles: 11 new" in world["replay"].stdout
    sql = f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY url"
    assert query(world["replay_db"], sql) == query(world["db"], sql)
    matches = ("SELECT a.url, m.topic, m.term, m.count, m.snippet FROM matches m "
               "JOIN articles a ON a.id = m.article_id ORDER BY 1, 2, 3")
    assert query(world["replay_db"], matches) == query(world["db"], matches)
    assert query(world["replay_db"], matches)


def test_record_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "rec").mkdir()
    (tmp_path / "rec" / "note.txt").write_text("x")
    result = run_rasd("crawl", "--record", str(tmp_path / "rec"), "--db",
                      str(tmp_path / "x.db"), check=False)
    assert result.returncode == 1
    assert "--record needs a new or empty folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_crawl_judges_outlet_health_and_a_replay_of_it_does_not(world):
    health = query(world["db"], "SELECT slug, consecutive_failures, last_error "
                                "FROM outlet_health WHERE consecutive_failures > 0")
    # the outlet that refuses browsers is the one that failed: its feed answered 403
    assert [(slug, n) for slug, n, _ in health] == [("picky-default", 1)]
    assert "HTTP 403" in health[0][2]
    assert query(world["db"], "SELECT count(*) FROM outlet_health") == [(7,)]
    assert query(world["replay_db"], "SELECT count(*) FROM outlet_health") == [(0,)]
