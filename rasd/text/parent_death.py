"""Worker processes die with the process that started them.

A crawl killed outright (kill -9, the daemon's time limit, the OOM killer) cannot shut its
worker pool down; without this its fork server and workers would live on as orphans, holding
the crawl's stdout and stderr open. Linux delivers SIGKILL to a process whose parent dies once
it has asked for it (prctl PR_SET_PDEATHSIG); elsewhere this does nothing. The fork server
asks when it imports its preload module `rasd.text.forkserver_init`; workers call
`die_with_parent` as the pool's initializer, since a fork does not inherit the request.
"""
from __future__ import annotations

import ctypes
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Ask the kernel to kill this process when its parent dies (Linux only)."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:   # the parent died before the request: follow it now
        os._exit(1)

