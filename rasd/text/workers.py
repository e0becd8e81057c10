"""A pool of worker processes for the CPU-bound work on a page, so a crawl uses every core.

Scrapy runs a crawl on one thread; decoding and extracting a page (trafilatura) is most of its
CPU. The pool runs such pure functions (bytes in, values out: workers never touch SQLite or
Scrapy) in `count` processes. One worker means no pool: the work runs in the calling process.
Workers are started by a fork server that has imported the page-reading code once, so a
worker does not pay for the imports and is not forked from a process running threads. The
fork server and the workers die with the crawl (rasd.text.parent_death), even a killed one.
"""
from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from rasd.text.parent_death import die_with_parent

_PRELOAD = ["rasd.text.forkserver_init", "rasd.text.extract"]


def worker_count(setting: int) -> int:
    """The number of workers for the RASD_WORKERS setting: 0 means one per CPU."""
    return setting if setting > 0 else (os.cpu_count() or 1)


class Workers:
    """`count` worker processes (none when 1); `submit` returns a future either way."""

    def __init__(self, count: int):
        self.count = worker_count(count)
        self._executor: ProcessPoolExecutor | None = None
        if self.count > 1:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(_PRELOAD)
            self._executor = ProcessPoolExecutor(self.count, mp_context=context,
                                                 initializer=die_with_parent)

    @property
    def in_process(self) -> bool:
        return self._executor is None

    def submit(self, function: Callable[..., Any], *args: Any) -> Future:
        """Run `function(*args)` in a worker (in this process when there is no pool)."""
        if self._executor is not None:
            return self._executor.submit(function, *args)
        future: Future = Future()
        try:
            future.set_result(function(*args))
        except Exception as error:
            future.set_exception(error)
        return future

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
