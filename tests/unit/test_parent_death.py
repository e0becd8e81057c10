"""A killed crawl leaves no worker processes behind (rasd.text.parent_death)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from tests.conftest import REPO

# Starts a pool of two workers, prints the pids of the pool's processes, then waits forever.
CHILD = """
import os, time
from rasd.text.workers import Workers
workers = Workers(2)
pids = {workers.submit(os.getpid).result() for _ in range(20)}
print(" ".join(map(str, sorted(pids))), flush=True)
time.sleep(600)
"""


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:   # a zombie is dead, only not yet reaped
        return stat.read().split(") ")[1][0] != "Z"


def test_workers_die_with_a_crawl_killed_outright():
    child = subprocess.Popen([sys.executable, "-c", CHILD], cwd=REPO, stdout=subprocess.PIPE,
                             text=True)
    try:
        pids = [int(p) for p in child.stdout.readline().split()]
        assert pids and child.pid not in pids and all(alive(p) for p in pids)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    deadline = time.monotonic() + 30   # the kernel's signal arrives at once; 30 s for a busy box
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [p for p in pids if alive(p)], "workers outlived the killed crawl"
