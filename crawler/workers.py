"""Awaiting the worker pool (rasd.text.workers) from a pipeline without blocking the reactor."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from rasd.text.workers import Workers


async def in_pool(workers: Workers, function: Callable[..., Any], *args: Any) -> Any:
    """`function(*args)` run by `workers`; the reactor goes on while a worker runs it (a
    thread of the reactor's pool waits for the worker's answer)."""
    future = workers.submit(function, *args)
    if workers.in_process:
        return future.result()
    return await maybe_deferred_to_future(deferToThread(future.result))
