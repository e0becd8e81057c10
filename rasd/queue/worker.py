"""A crawl worker: procrastinate's worker, plus the two things rasd asks of it.

- Jobs of a dead worker are given to the living: a worker killed outright (kill -9, a lost
  machine) stops sending heartbeats; every `stalled_after` its jobs are put back in the queue
  (`JobManager.get_stalled_jobs` + `retry_job`), by whichever worker looks first.
- A clean stop: SIGTERM or Ctrl-C asks the running crawls to finish their items (a second
  signal kills them); their jobs are given back to the queue, and the worker exits.
Without `wait`, the worker exits once no job is waiting or running anywhere (tests, a batch).
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from procrastinate import App
from procrastinate.exceptions import ConnectorException

from rasd.config import DaemonConfig
from rasd.queue.app import CRAWL_TASK, QUEUE, worker_context

log = logging.getLogger("rasd.worker")


async def retry_stalled(app: App, stalled_after: float) -> int:
    """Put back in the queue the jobs of workers silent for `stalled_after` seconds."""
    retried = 0
    for job in await app.job_manager.get_stalled_jobs(
            queue=QUEUE, task_name=CRAWL_TASK, seconds_since_heartbeat=stalled_after):
        try:
            await app.job_manager.retry_job(job)
        except ConnectorException:   # another worker put it back first
            continue
        retried += 1
        log.warning("job %s (%s) of a worker silent for %gs given to the queue again",
                    job.id, job.call_string, stalled_after)
    return retried


async def queue_idle(app: App) -> bool:
    """No crawl job waiting or running, on any worker."""
    counts = await app.job_manager.list_queues_async(queue=QUEUE)
    return not any(row["todo"] or row["doing"] for row in counts)


async def run_worker(app: App, queue_url: str, config: DaemonConfig, *, concurrency: int,
                     wait: bool, stalled_after: float, name: str) -> None:
    """Work until stopped by a signal (or, without `wait`, until the queue is idle)."""
    context = worker_context(config, queue_url)
    poll = max(0.2, min(5.0, stalled_after / 4))
    stop = asyncio.Event()
    signals_seen = 0

    def on_signal(signum: int) -> None:
        nonlocal signals_seen
        signals_seen += 1
        log.info("received %s: stopping %d running crawl(s)%s", signal.Signals(signum).name,
                 len(context["rasd_crawls"]), " now" if signals_seen > 1 else "")
        for crawl in list(context["rasd_crawls"]):
            crawl.stop(force=signals_seen > 1)
        stop.set()

    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, on_signal, signum)
    async with app.open_async():
        worker = asyncio.create_task(app.run_worker_async(
            queues=[QUEUE], name=name, concurrency=concurrency, wait=True,
            additional_context=context, install_signal_handlers=False,
            update_heartbeat_interval=poll, stalled_worker_timeout=stalled_after,
            fetch_job_polling_interval=poll))
        log.info("worker %s on queue %r: %d crawl(s) at once", name, QUEUE, concurrency)
        while not stop.is_set() and not worker.done():
            await retry_stalled(app, stalled_after)
            if not wait and await queue_idle(app):
                log.info("the queue is idle: stopping")
                break
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(stop.wait(), poll)
        worker.cancel()   # procrastinate waits for the running jobs, then stops
        with contextlib.suppress(asyncio.CancelledError):
            await worker
