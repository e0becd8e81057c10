"""`rasd sources check --online` run for real against local outlets."""
from __future__ import annotations

import socket

from rasd.devsite.outlets import NOW, Outlet, article_page, daily_sitemaps, wordpress
from rasd.devsite.server import FixtureServer, Reply
from tests.conftest import FAST, SEEDS, run_rasd


def test_online_check_probes_every_listing_and_keeps_failing_outlets(tmp_path):
    servers = [FixtureServer(tmp_path) for _ in range(4)]
    for server in servers:
        server.__enter__()
    # A port that is bound but not listening refuses connections, and stays this test's until
    # the end (a closed port could be taken by a parallel test's server in the meantime).
    gone_port = socket.socket()
    gone_port.bind(("127.0.0.1", 0))
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
        gone_url = f"http://127.0.0.1:{gone_port.getsockname()[1]}"
        gone = (f'[sources.gone]\nname = "منفذ gone"\nhomepage = "{gone_url}/"\n'
                f'feeds = ["{gone_url}/rss"]\nallow_private = true\n')
        registry = tmp_path / "sources.toml"
        registry.write_text("\n".join([*(o.toml() for o in (good, daily, dead, english)), gone]),
                            encoding="utf-8")
        result = run_rasd("sources", "check", "--online", "--sources", str(registry),
                          "-s", f"RASD_NOW={NOW.isoformat()}", *FAST)
    finally:
        for server in servers:
            server.close()
        gone_port.close()
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
