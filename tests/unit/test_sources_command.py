"""`rasd sources list` and `rasd sources check [--online]` on real files and local outlets."""
from __future__ import annotations

from click.testing import CliRunner

from rasd.cli import cli
from tests.conftest import FAST, SEEDS, run_rasd
from tests.support.fixture_server import FixtureServer, Reply
from tests.support.outlets import NOW, Outlet, article_page, daily_sitemaps, wordpress

GOOD = """[sources.good]
name = "جيد"
homepage = "https://good.example.ly/"
feeds = ["https://good.example.ly/feed/"]
"""


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_shipped_registry_passes_offline_check_and_is_listed():
    result = invoke("sources", "check")
    assert result.exit_code == 0, result.output
    count = int(result.output.split(": ")[1].split()[0])
    assert count >= 15 and "no problems" in result.output
    listing = invoke("sources", "list")
    assert listing.exit_code == 0
    for slug in ("aljazeera", "bbc-arabic", "alwasat", "almarsad", "libya-alahrar"):
        assert f"\n{slug} " in listing.output
    assert listing.output.count(" LY ") >= 5


def test_offline_check_reports_every_problem_and_fails(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(GOOD + """
[sources.broken]
name = "مكسور"
homepage = "https://bad host.example/"
feeds = ["https://good.example.ly/feed/"]

[sources.domains]
name = "نطاقات"
homepage = "https://x.example.ly/"
sitemaps = ["https://x.example.ly/s.xml"]
allowed_domains = ["https://x.example.ly/path"]

[sources.types]
name = "أنواع"
homepage = "https://t.example.ly/"
feeds = ["ftp://t.example.ly/feed"]
concurrency = 0
""", encoding="utf-8")
    result = invoke("sources", "check", "--sources", str(bad))
    assert result.exit_code == 1
    assert "URL contains white space" in result.output
    assert "already listed by [sources.good]" in result.output
    assert "allowed domain 'https://x.example.ly/path' is not a bare domain" in result.output
    assert "not http(s)" in result.output
    assert "problem(s) in the registry" in result.output
    assert "Traceback" not in result.output

    duplicate = tmp_path / "dup.toml"
    duplicate.write_text(GOOD + "\n" + GOOD, encoding="utf-8")
    result = invoke("sources", "check", "--sources", str(duplicate))
    assert result.exit_code == 1
    assert "duplicate slug 'good' (lines 1, 6)" in result.output

    wrong_type = tmp_path / "types.toml"
    wrong_type.write_text(GOOD + 'download_delay = "slow"\n', encoding="utf-8")
    result = invoke("sources", "check", "--sources", str(wrong_type))
    assert result.exit_code == 1 and "'download_delay' must be a number" in result.output


def test_online_check_probes_every_listing_and_keeps_failing_outlets(tmp_path):
    servers = [FixtureServer(tmp_path) for _ in range(4)]
    for server in servers:
        server.__enter__()
    try:
        good, daily = wordpress(servers[0]), daily_sitemaps(servers[1], days=30)
        dead = Outlet("dead", servers[2], {"feeds": f'["{servers[2].url("/feed")}"]'})
        servers[2].overrides["/feed"] = Reply(500, b"oops", {"Content-Type": "text/plain"})
        english = Outlet("english", servers[3], {"feeds": f'["{servers[3].url("/rss")}"]',
                                                 "enabled": "false"})
        servers[3].overrides["/rss"] = Reply(200, (
            '<rss version="2.0"><channel><title>x</title><item><title>t</title>'
            f'<link>{servers[3].url("/en.html")}</link></item></channel></rss>').encode(),
            {"Content-Type": "application/rss+xml"})
        paragraphs = (SEEDS / "negatives" / "english_libya.txt").read_text().splitlines()
        servers[3].overrides["/en.html"] = Reply(
            200, article_page("English", paragraphs * 2).encode(), {"Content-Type": "text/html"})
        gone_server = FixtureServer(tmp_path)   # its port is closed before the probe runs
        gone = Outlet("gone", gone_server, {"feeds": f'["{gone_server.url("/rss")}"]'})
        gone_server.httpd.server_close()
        registry = tmp_path / "sources.toml"
        registry.write_text("\n".join(o.toml() for o in (good, daily, dead, english, gone)),
                            encoding="utf-8")
        result = run_rasd("sources", "check", "--online", "--sources", str(registry),
                          "-s", f"RASD_NOW={NOW.isoformat()}", *FAST)
    finally:
        for server in servers:
            server.close()
    rows = {line.split()[0]: line for line in result.stdout.splitlines()
            if line.split() and line.split()[0] in ("wordpress", "daily", "dead", "english",
                                                    "gone")}
    assert set(rows) == {"wordpress", "daily", "dead", "english", "gone"}
    # wordpress: 3 article links, newest 2 days old; of the two newest, robots.txt forbids
    # one and the other (a redirect) extracts as Arabic
    assert rows["wordpress"].split()[3:8] == ["200", "3", "2d", "1/2", "ok"]
    # the index of 30 daily sitemaps is judged by its two most recent children
    assert rows["daily"].split()[3:8] == ["200", "2", "12h", "2/2", "ok"]
    assert rows["dead"].split()[3:5] == ["500", "0"] and rows["dead"].endswith("FAIL")
    assert "(disabled)" in rows["english"] and rows["english"].split()[4:8] == \
        ["200", "1", "-", "0/1"]
    assert rows["gone"].split()[3:5] == ["refused", "0"]
    assert "2 of 5 feeds and sitemaps ok, 3 failing (kept in the registry)" in result.stdout
    assert sorted(p for p in servers[1].requests if p.startswith("/sitemaps/")) == \
        ["/sitemaps/2026-11-21.xml.gz", "/sitemaps/2026-11-22.xml.gz"]
