"""The real `rasd` command in a child process, without paying its imports every time.

Every call is a new process, as `python -m rasd` would be: Scrapy's reactor starts once in it,
and the exit status, stdout and stderr (file descriptors 1 and 2, so Scrapy's log too) are the
child's own. The child is forked from a server process that imported rasd's heavy third-party
libraries once (multiprocessing's forkserver, a single-threaded process, so forking it is
safe), which saves the second or two that each `python -m rasd` spends importing them. rasd
itself is imported anew in each child, after its environment and working directory are set,
so nothing rasd reads at import time is inherited from an earlier call.
"""
from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Mapping

_context = multiprocessing.get_context("forkserver")
_context.set_forkserver_preload(["tests.support.rasd_preload"])


def _redirect(fd: int, path: str, flags: int) -> None:
    target = os.open(path, flags, 0o600)
    os.dup2(target, fd)
    os.close(target)


def _main(args: list[str], cwd: str, env: dict[str, str], stdin: str, out: str,
          err: str) -> None:
    """In the child: become `rasd ARGS` started in `cwd` with environment `env`."""
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    _redirect(0, stdin, os.O_RDONLY)
    _redirect(1, out, os.O_WRONLY | os.O_TRUNC)
    _redirect(2, err, os.O_WRONLY | os.O_TRUNC)
    sys.stdin = open(0, encoding="utf-8", closefd=False)
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
    sys.stderr = open(2, "w", encoding="utf-8", closefd=False)
    sys.argv = ["rasd", *args]
    from rasd.cli import main

    main()


def run(args: list[str], cwd: Path, env: Mapping[str, str], input: str = "",
        timeout: float = 300) -> subprocess.CompletedProcess:
    """Run `rasd ARGS` in a new process and wait for it, like `subprocess.run`."""
    with tempfile.TemporaryDirectory(prefix="rasd-run-") as tmp:
        stdin, out, err = (os.path.join(tmp, name) for name in ("stdin", "stdout", "stderr"))
        Path(stdin).write_text(input, encoding="utf-8")
        Path(out).touch()
        Path(err).touch()
        child = _context.Process(target=_main,
                                 args=(list(args), str(cwd), dict(env), stdin, out, err))
        child.start()
        child.join(timeout)
        if child.exitcode is None:
            child.kill()
            child.join()
            raise subprocess.TimeoutExpired(["rasd", *args], timeout)
        return subprocess.CompletedProcess(
            ["rasd", *args], child.exitcode,
            Path(out).read_text(encoding="utf-8", errors="replace"),
            Path(err).read_text(encoding="utf-8", errors="replace"))
