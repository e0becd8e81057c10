"""`rasd sources list` and `rasd sources check` in-process on real files (the online check is
in tests/e2e/test_sources_online.py)."""
from __future__ import annotations

from click.testing import CliRunner

from rasd.cli import cli

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
