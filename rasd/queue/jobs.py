"""The shard crawl job: `rasd crawl --shard K/N` as a child of the worker, recorded and retried.

The child is the daemon's (rasd/daemon/crawls.py: its crawl_runs row made first, its output in
the worker's log, its time limit and stop grace), and it dies with the worker
(PR_SET_PDEATHSIG): a worker killed outright never leaves a crawl of its shard running while
the job is given to another worker. A crawl that does not end well fails the job, which is
retried with a growing wait; one stopped by the worker's own shutdown is given back at once.
"""
from __future__ import annotations

import logging

from procrastinate import BaseRetryStrategy, RetryDecision
from procrastinate.jobs import Job

from rasd.config import DaemonConfig
from rasd.daemon.crawls import CrawlRunner
from rasd.store.runs import interrupt_shard_crawls
from rasd.text.parent_death import die_with_parent

log = logging.getLogger("rasd.worker")

GOOD_ENDINGS = {"ok", "ok_with_errors"}


class ShardCrawlFailed(Exception):
    """The shard's crawl ended badly (failed, timed out, refused): the job is retried."""


class ShardCrawlGivenBack(ShardCrawlFailed):
    """The worker stopped the crawl to shut down: another worker takes the job at once."""


class ShardCrawl(CrawlRunner):
    """One crawl of one shard, started by a worker."""

    def __init__(self, config: DaemonConfig, shard: str):
        super().__init__(config)
        self.shard = shard
        self.trigger = f"worker {shard}"

    def started(self, run_id: int) -> None:
        """The shard's job holds its lock: an earlier crawl of the shard still 'running' is
        of a worker that died (its job given to this one)."""
        closed = interrupt_shard_crawls(self.store, self.trigger, keep=run_id)
        if closed:
            log.warning("shard %s: %d crawl run(s) of a dead worker marked interrupted",
                        self.shard, closed)

    def command(self, run_id: int) -> list[str]:
        return [*super().command(run_id), "--shard", self.shard]

    def child_options(self) -> dict:
        return {"preexec_fn": die_with_parent}

    def run_job(self) -> str:
        """Run the crawl; its ending, or an exception that makes the queue retry the job."""
        ending = self.run_once()
        if ending in GOOD_ENDINGS:
            return ending
        if self.stopping.is_set():
            raise ShardCrawlGivenBack(f"shard {self.shard}: crawl {ending} by the worker's stop")
        raise ShardCrawlFailed(f"shard {self.shard}: crawl {ending} (see crawl_runs)")


class ShardRetry(BaseRetryStrategy):
    """Up to `attempts` runs; waits of `wait`, 2×, 4×… seconds (at most `longest`) between
    failed ones, none after a job given back."""

    def __init__(self, attempts: int = 5, wait: float = 30.0, longest: float = 1800.0):
        self.attempts, self.wait, self.longest = attempts, wait, longest

    def get_retry_decision(self, *, exception: BaseException, job: Job) -> RetryDecision | None:
        if job.attempts + 1 >= self.attempts or not isinstance(exception, ShardCrawlFailed):
            return None
        if isinstance(exception, ShardCrawlGivenBack):
            return RetryDecision(retry_in={"seconds": 0})
        return RetryDecision(retry_in={"seconds": min(self.longest,
                                                      self.wait * 2 ** job.attempts)})
