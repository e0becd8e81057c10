"""Running the real daemon (`rasd run`) as a child process, and waiting on conditions."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Callable

from rasd.devsite.server import FixtureServer

REPO = Path(__file__).resolve().parents[2]


class SlowFixtureServer(FixtureServer):
    """The fixture site, answering the paths `slow(path)` selects only after `delay` seconds,
    and, while the test `hold()`s them, only once it `release()`s them: an outlet slow enough
    that a crawl outlasts a seconds-level schedule, or hangs until the test has seen what it
    waits for (an event, not a length of time)."""

    def __init__(self, root: Path, delay: float, slow: Callable[[str], bool] = lambda p: True):
        super().__init__(root)
        self.delay = delay
        self.slow = slow
        self._open = threading.Event()
        self._open.set()

    def hold(self) -> None:
        self._open.clear()

    def release(self) -> None:
        self._open.set()

    def close(self) -> None:
        self.release()   # no handler thread is left waiting
        super().close()

    def _resolve(self, path: str):
        if self.slow(path):
            self._open.wait(timeout=300)   # the server's handler thread waits, not the test
            if self.delay:
                time.sleep(self.delay)
        return super()._resolve(path)


def rows(db: Path, sql: str, *params) -> list[tuple]:
    """A query for polling: nothing yet while the daemon has not created the database."""
    if not Path(db).exists():
        return []
    try:
        with sqlite3.connect(db) as conn:
            return conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError:   # the schema is being created
        return []


def wait_for(condition: Callable[[], object], what: str, timeout: float = 120.0,
             daemon: "Daemon | None" = None):
    """Poll `condition` until it is truthy; fail after `timeout` seconds with the daemon's log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    log = daemon.output() if daemon else ""
    raise AssertionError(f"timed out after {timeout:g}s waiting for {what}\n{log}")


class Daemon:
    """`rasd run --db DB ARGS...` (or another long-running `command`, e.g. worker) started
    in `workdir`; its stderr goes to a file."""

    def __init__(self, workdir: Path, db: Path | str, *args: str, env: dict | None = None,
                 command: str = "run"):
        self.out_path = workdir / f"{command}-{time.monotonic_ns()}.out"
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("RASD_")}
        full_env.update(PYTHONPATH=str(REPO), **(env or {}))
        log_file = ["--log-file", str(workdir / "rasd.log")] if command == "run" else []
        with open(self.out_path, "wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "rasd", command, "--db", str(db), *log_file, *args],
                cwd=workdir, env=full_env, stdout=out, stderr=subprocess.STDOUT)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def output(self) -> str:
        return self.out_path.read_text(encoding="utf-8", errors="replace")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 60.0) -> int:
        """Send `sig` and wait for the exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"daemon did not exit within {timeout:g}s\n{self.output()}")

    def __enter__(self) -> "Daemon":
        return self

    def __exit__(self, *exc) -> None:
        """A test that failed half-way still stops its daemon (and so its crawl child)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
