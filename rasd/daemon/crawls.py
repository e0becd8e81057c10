"""One scheduled crawl: a `rasd crawl` child process, watched, limited, and recorded.

Scrapy's reactor cannot be restarted, so every crawl is a fresh process. The daemon creates
the `crawl_runs` row first and hands its id to the child, so a child that crashes, hangs or is
stopped is still recorded. The child takes the crawl lock itself, exactly as a manual
`rasd crawl` does, so the two can never overlap.
"""
from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from pathlib import Path

from rasd.clock import timestamp
from rasd.config import DaemonConfig
from rasd.store.database import open_store
from rasd.store.runs import run_status, start_run, update_run

log = logging.getLogger("rasd.daemon.crawl")
PROJECT_ROOT = Path(__file__).resolve().parents[2]
REFUSED_EXIT = 75   # `rasd crawl` found another crawl running (CrawlRefused)


class CrawlRunner:
    """Runs crawl children one after another; `stop()` asks the running one to finish."""

    trigger = "scheduled"   # what crawl_runs says started the crawl

    def __init__(self, config: DaemonConfig):
        self.config = config
        self.store = open_store(config.db)
        self.stopping = threading.Event()
        self.force = threading.Event()

    def command(self, run_id: int) -> list[str]:
        return [sys.executable, "-m", "rasd", "crawl", "--db", str(self.config.db),
                *self.config.crawl_args, "-s", f"RASD_RUN_ID={run_id}"]

    def run_once(self) -> str:
        """Run one crawl to its end; returns its recorded status."""
        if self.stopping.is_set():
            return "not started (stopping)"
        run_id = start_run(self.store, {"kind": "news", "trigger": self.trigger,
                                        "started_at": timestamp(precise=True),
                                        "status": "running"})
        self.started(run_id)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT),
                                                          env.get("PYTHONPATH")]))
        # A new session: a Ctrl-C in the terminal reaches the daemon only, which then stops
        # the child once (a second signal would make Scrapy abandon its items).
        child = subprocess.Popen(self.command(run_id), stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, encoding="utf-8", errors="replace",
                                 env=env, start_new_session=True, **self.child_options())
        update_run(self.store, run_id, {"pid": child.pid})
        log.info("crawl run %d started (pid %d)", run_id, child.pid)
        tail: deque[str] = deque(maxlen=5)
        reader = threading.Thread(target=self._relay, args=(child, run_id, tail), daemon=True)
        reader.start()
        ending = self._watch(child)
        exit_code = child.returncode
        reader.join(timeout=5)
        status = self._record(run_id, ending, exit_code, list(tail))
        log.info("crawl run %d ended: %s (exit code %s)", run_id, status, exit_code)
        return status

    def started(self, run_id: int) -> None:
        """The crawl's row exists (a hook: the daemon's own crawl needs nothing more)."""

    def exclusive(self) -> contextlib.AbstractContextManager:
        """What makes this the only scheduler: the daemon's lock file is enough here."""
        return contextlib.nullcontext()

    def child_options(self) -> dict:
        """More `subprocess.Popen` options for the crawl child (none for the daemon's)."""
        return {}

    def stop(self, force: bool = False) -> None:
        """Ask the running crawl (if any) to finish its items and stop; no new crawl starts.
        With `force`, kill it without waiting for the grace period."""
        if force:
            self.force.set()
        self.stopping.set()

    def _watch(self, child: subprocess.Popen) -> str:
        """Wait for the child; stop it on timeout or shutdown. Returns why it ended."""
        deadline = time.monotonic() + self.config.crawl_timeout
        while True:
            try:
                child.wait(timeout=0.2)
                return "exited"
            except subprocess.TimeoutExpired:
                pass
            if self.stopping.is_set():
                self._terminate(child)
                return "stopped"
            if time.monotonic() >= deadline:
                log.warning("crawl exceeded its %gs limit; stopping it", self.config.crawl_timeout)
                self._terminate(child)
                return "timed_out"

    def _terminate(self, child: subprocess.Popen) -> None:
        """SIGTERM (Scrapy closes the spider and flushes its items), SIGKILL after the grace."""
        child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + self.config.stop_grace
        while time.monotonic() < deadline and not self.force.is_set():
            try:
                child.wait(timeout=0.2)
                return
            except subprocess.TimeoutExpired:
                pass
        log.warning("crawl pid %d still running after %gs; killing it", child.pid,
                    self.config.stop_grace)
        child.kill()
        child.wait()

    def _relay(self, child: subprocess.Popen, run_id: int, tail: deque[str]) -> None:
        """Copy the child's output into the daemon's log, keeping the last lines for errors."""
        for line in child.stdout:
            line = line.rstrip()
            if line:
                tail.append(line)
                log.info("crawl %d: %s", run_id, line)

    def _record(self, run_id: int, ending: str, exit_code: int, tail: list[str]) -> str:
        status = run_status(self.store, run_id)
        update: dict = {"finished_at": timestamp(precise=True), "exit_code": exit_code}
        if ending == "timed_out":
            status = "timed_out"
            update["error"] = f"stopped after the {self.config.crawl_timeout:g}s time limit"
        elif status != "running":
            pass   # the crawl recorded its own end (ok, or interrupted when asked to stop)
        elif ending == "stopped":
            status = "interrupted"
            update["error"] = "stopped by the daemon's shutdown before it could record it"
        elif exit_code == REFUSED_EXIT:
            status = "skipped"
            update["error"] = tail[-1] if tail else "another crawl is running"
        else:
            status = "failed"
            how = (f"killed by signal {-exit_code}" if exit_code < 0
                   else f"exited with status {exit_code}")
            update["error"] = " | ".join([f"crawl process {how}", *tail[-2:]])
        update["status"] = status
        update_run(self.store, run_id, update)
        return status
