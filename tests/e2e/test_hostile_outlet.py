"""A crawl of the hostile outlet (tests/support/hostile.py): nothing lost, nothing fetched off
the outlet's origins, one line per failure, memory bounded.

The crawl runs as a child process with its address space capped (RLIMIT_AS), so a bomb that
got through would fail the test instead of the machine; its peak RSS is read from the kernel's
accounting of that one child (os.wait4).
"""
from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from rasd.devsite.server import FixtureServer
from tests.conftest import FAST, REPO, query, run_rasd
from tests.support import hostile

ADDRESS_SPACE = 4 * 1024 ** 3   # the child's cap: a 2 GiB bomb cannot fit with rasd beside it
PEAK_RSS = 400 * 1024 ** 2      # what a capped crawl stays under (it measures about 200 MiB)
LINK_CAP = 20
HOSTILE_SETTINGS = [*FAST, "-s", "DOWNLOAD_TIMEOUT=3", "-s", "RETRY_TIMES=1",
                    "-s", f"RASD_MAX_LINKS_PER_LISTING={LINK_CAP}"]


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def crawl_capped(tmp_path: Path, *args: str) -> tuple[int, str, str, int]:
    """(exit code, stdout, stderr, peak RSS in bytes) of `rasd crawl` in a memory-capped child."""
    out, err = tmp_path / "stdout", tmp_path / "stderr"
    env = {k: v for k, v in os.environ.items() if k != "RASD_DB"}
    env["PYTHONPATH"] = str(REPO)
    with out.open("w") as stdout, err.open("w") as stderr:
        child = subprocess.Popen([sys.executable, "-m", "rasd", "crawl", *args], cwd=REPO,
                                 env=env, stdout=stdout, stderr=stderr, preexec_fn=_cap_memory)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
    return (child.returncode, out.read_text(encoding="utf-8"),
            err.read_text(encoding="utf-8"), usage.ru_maxrss * 1024)


def test_a_hostile_outlet_costs_nothing(tmp_path: Path):
    db = tmp_path / "rasd.db"
    with FixtureServer(tmp_path) as server, FixtureServer(tmp_path) as elsewhere:
        outlet = hostile.build(server, elsewhere)
        registry = outlet.registry(tmp_path / "sources.toml")
        try:
            code, stdout, stderr, peak = crawl_capped(
                tmp_path, "--db", str(db), "--sources", str(registry), *HOSTILE_SETTINGS)
        finally:
            outlet.released.set()
        requested = dict(server.requests)
        elsewhere_requested = dict(elsewhere.requests)

    assert "Traceback" not in stderr, stderr
    assert "MemoryError" not in stderr
    assert peak < PEAK_RSS, f"peak RSS {peak / 2**20:.0f} MiB"
    # nothing lost: the good articles are stored, whole
    stored = dict(query(db, "SELECT url, text FROM articles"))
    for url, paragraph in outlet.expected.items():
        assert paragraph in stored.get(url, ""), f"{url} not stored"
    assert not any("\x00" in text for text in stored.values())   # the NUL page's bytes
    # nothing fetched off the outlet's origins: not another port, not another host name
    assert elsewhere_requested == {}
    assert "/admin/" not in requested   # http://localhost:<same port>/admin/
    # one line per failure, from the spider, naming what failed
    lines = stderr.splitlines()
    for fault in outlet.faults:
        if fault.logged is None:
            continue
        mine = [ln for ln in lines if "[news]" in ln and fault.path in ln]
        assert len(mine) == 1, (fault.path, mine)
        assert fault.logged in mine[0], (fault.path, mine[0])
    # a listing's links are capped, and the cut is said once
    assert sum(1 for path in requested if path.startswith("/news/many-")) == LINK_CAP
    assert sum("RASD_MAX_LINKS_PER_LISTING" in ln for ln in lines) == 1
    # a loop of sitemap indexes is read once each; an endless chain stops
    assert requested["/sitemaps/loop-b.xml"] == 1
    assert "/sitemaps/chain-4.xml" not in requested
    assert sum("nested deeper than" in ln for ln in lines) == 1
    # and the command's summary counts the failures
    assert "errors:" in stdout and "failed:" in stdout and code in (0, 1)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])   # an address; a name
def test_an_outlet_on_a_private_address_needs_allow_private(tmp_path: Path, host: str):
    db = tmp_path / "rasd.db"
    with FixtureServer(tmp_path) as server:
        base = server.base_url.replace("127.0.0.1", host)
        registry = tmp_path / "sources.toml"
        entry = f'[sources.lan]\nname = "lan"\nhomepage = "{base}/"\nfeeds = ["{base}/rss.xml"]\n'
        registry.write_text(entry, encoding="utf-8")
        refused = run_rasd("crawl", "--db", str(db), "--sources", str(registry), *FAST)
        assert dict(server.requests) == {}   # not even robots.txt
        registry.write_text(entry + "allow_private = true\n", encoding="utf-8")
        allowed = run_rasd("crawl", "--db", str(db), "--sources", str(registry), *FAST)
        assert server.requests["/rss.xml"] == 1   # through the resolver's check too
    assert "Traceback" not in refused.stderr + allowed.stderr
    lines = [ln for ln in refused.stderr.splitlines() if "rss.xml" in ln]
    assert len(lines) == 1 and "allow_private = true" in lines[0]
