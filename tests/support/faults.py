"""`python -m tests.support.faults FAULT rasd ARGS...`: the real `rasd`, with SQLite made to
fail the way a machine does, at a point the test chooses rather than a moment it hopes for.

FAULT is one of:
- `none` — no fault (the same command line with and without one);
- `max-pages:N` — every connection limited to N pages (`PRAGMA max_page_count`): a full disk
  for machines where the test cannot mount a small tmpfs;
- `kill-at:TABLE:N` — the process SIGKILLs itself when SQLite (or, for a PostgreSQL store,
  psycopg) is about to run the N-th insert into TABLE: a `kill -9` inside a batch
  transaction, at a known statement;
- `kill-at-read:TABLE:N` — the same at the N-th read of TABLE's rows (`SELECT * FROM TABLE`)
  from SQLite: a `kill -9` while copying out of an SQLite file into another database.

Only the libraries are wrapped (`sqlite3.connect`, psycopg's cursor), not rasd: rasd runs as
it does in production. A full PostgreSQL disk is injected by the test itself, in the server
(a trigger raising `disk_full`).
"""
from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

_connect = sqlite3.connect


def _kill_at(table: str, nth: int, read: bool = False):
    seen = 0
    statement_of = (rf'^\s*SELECT\s+\*\s+FROM\s+"?{re.escape(table)}"?\s' if read else
                    rf'^\s*INSERT\b.*?\bINTO\s+"?{re.escape(table)}"?\s')
    pattern = re.compile(statement_of, re.I | re.S)

    def trace(statement: str) -> None:
        nonlocal seen
        if pattern.match(statement):
            seen += 1
            if seen == nth:
                os.kill(os.getpid(), signal.SIGKILL)
    return trace


def _kill_psycopg_at(table: str, nth: int) -> None:
    import psycopg

    trace = _kill_at(table, nth)
    execute, executemany = psycopg.Cursor.execute, psycopg.Cursor.executemany

    def traced_execute(self, query, *args, **kwargs):
        trace(str(query))
        return execute(self, query, *args, **kwargs)

    def traced_executemany(self, query, params_seq, *args, **kwargs):
        params_seq = list(params_seq)
        for _ in params_seq:
            trace(str(query))
        return executemany(self, query, params_seq, *args, **kwargs)

    psycopg.Cursor.execute, psycopg.Cursor.executemany = traced_execute, traced_executemany


def install(fault: str) -> None:
    kind, _, arg = fault.partition(":")
    if kind == "none":
        return
    if kind == "kill-at":
        table, _, nth = arg.partition(":")
        _kill_psycopg_at(table, int(nth))

    def connect(*args, **kwargs):
        conn = _connect(*args, **kwargs)
        if kind == "max-pages":
            conn.execute(f"PRAGMA max_page_count = {int(arg):d}")
        elif kind in ("kill-at", "kill-at-read"):
            table, _, nth = arg.partition(":")
            conn.set_trace_callback(_kill_at(table, int(nth), read=kind == "kill-at-read"))
        else:
            raise SystemExit(f"unknown fault {fault!r}")
        return conn
    sqlite3.connect = connect


def run_with_fault(fault: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    """`rasd ARGS` in a new process (`python -m tests.support.faults`), with FAULT."""
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    env.pop("RASD_DB", None)
    return subprocess.run([sys.executable, "-m", "tests.support.faults", fault, *args],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


if __name__ == "__main__":
    install(sys.argv[1])
    sys.argv = ["rasd", *sys.argv[2:]]
    from rasd.cli import main

    main()
