"""The daemon: APScheduler 3.x jobs for the crawl, the daily digest and housekeeping.

It holds the daemon lock for its whole life (a second daemon on the same database is
refused), catches up on start, and on SIGTERM/SIGINT starts no new job, gives a running crawl
`stop_grace` seconds to finish its items, records it as interrupted and exits cleanly.
"""
from __future__ import annotations

import contextlib
import logging
import signal
import threading

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from rasd.clock import now as clock_now
from rasd.clock import timestamp
from rasd.config import DaemonConfig, is_url
from rasd.daemon.catchup import first_crawl_time, missed_digest_days
from rasd.daemon.crawls import CrawlRunner
from rasd.daemon.housekeeping import close_orphan_runs, housekeeping
from rasd.daemon.lock import daemon_lock
from rasd.daemon.state import record_daemon, record_job_run, record_jobs
from rasd.digest import write_digest, write_topic_feeds
from rasd.digest.period import yesterday
from rasd.digest.write import topic_descriptions
from rasd.store.database import open_store

log = logging.getLogger("rasd.daemon")
HEARTBEAT_SECONDS = 5.0


class Daemon:
    """`run()` blocks until SIGTERM/SIGINT; raises LockHeld if another daemon runs."""

    def __init__(self, config: DaemonConfig, crawls=None):
        self.config = config
        self.store = open_store(config.db)   # the process's one connection, for every job
        # the crawl tick: a crawl child (CrawlRunner), or shard jobs for workers (rasd.queue)
        self.crawls = crawls or CrawlRunner(config)
        self.stop_requested = threading.Event()

    def run(self) -> None:
        config = self.config
        # a file's daemon lock; on PostgreSQL the queue's scheduler lock (crawls.exclusive)
        file_lock = contextlib.nullcontext() if is_url(config.db) else daemon_lock(config.db)
        with file_lock, self.crawls.exclusive():
            started = timestamp(precise=True)
            self._install_signal_handlers()
            orphans = close_orphan_runs(config.db)
            if orphans:
                log.warning("marked %d crawl run(s) left 'running' as interrupted", orphans)
            self.catch_up_digests()
            scheduler = self._build_scheduler()
            scheduler.start()
            jobs = scheduler.get_jobs()
            record_daemon(self.store, "running", started)
            record_jobs(self.store, jobs)
            log.info("daemon started on %s: %s", config.db, "; ".join(
                f"{job.id} next at {job.next_run_time:%Y-%m-%d %H:%M:%S %Z}" for job in jobs))
            while not self.stop_requested.wait(HEARTBEAT_SECONDS):
                record_daemon(self.store, "running")
                record_jobs(self.store, scheduler.get_jobs())
            log.info("stopping: no new jobs; a running crawl has %gs to finish",
                     config.stop_grace)
            scheduler.pause()
            scheduler.shutdown(wait=True)   # waits for a running crawl to wind down
            record_jobs(self.store, jobs, stopped=True)
            record_daemon(self.store, "stopped")
            log.info("daemon stopped")

    def catch_up_digests(self) -> None:
        """Write the digests of days that passed while the daemon was down."""
        now = self.config.now or clock_now()
        days = missed_digest_days(self.store, now, self.config.timezone, self.config.digest_at,
                                  self.config.digest_format)
        for day in days:
            log.info("catching up the missed digest of %s", day)
            self._write_digest(day)

    def crawl_job(self) -> None:
        record_job_run(self.store, "crawl", self._guarded("crawl", self.crawls.run_once))

    def digest_job(self) -> None:
        day = yesterday(clock_now(), self.config.timezone)
        record_job_run(self.store, "digest",
                       self._guarded("digest", lambda: self._write_digest(day)))

    def housekeeping_job(self) -> None:
        record_job_run(self.store, "housekeeping", self._guarded(
            "housekeeping",
            lambda: str(housekeeping(self.config.db, self.config.keep_run_stats_days,
                                     retention_days=self.config.retention_days))))

    def _write_digest(self, day) -> str:
        path = write_digest(self.config.db, day, out_dir=self.config.digests_dir,
                            fmt=self.config.digest_format, tz=self.config.timezone, out_file=None,
                            email=self.config.digest_email,
                            descriptions=topic_descriptions(self.config.watchlist))
        log.info("digest of %s written to %s", day, path)
        feeds = write_topic_feeds(self.config.db, day, self.config.digests_dir,
                                  self.config.timezone, self.config.watchlist)
        log.info("%d topic feeds written to %s", len(feeds), feeds[0].parent if feeds else "-")
        return f"wrote {path}"

    def _guarded(self, name: str, job) -> str:
        """Run a job so that its failure is logged and recorded, and the daemon carries on."""
        try:
            return str(job())
        except Exception as exc:  # noqa: BLE001 - the daemon must survive any job failure
            log.exception("%s job failed", name)
            return f"error: {exc}"

    def _build_scheduler(self) -> BackgroundScheduler:
        config = self.config
        first = first_crawl_time(self.store, clock_now(), config.crawl_every)
        scheduler = BackgroundScheduler(timezone=config.timezone, job_defaults={
            "coalesce": True, "max_instances": 1, "misfire_grace_time": None})
        scheduler.add_job(self.crawl_job, IntervalTrigger(seconds=config.crawl_every),
                          id="crawl", name="crawl", next_run_time=first)
        for job_id, func, at in (("digest", self.digest_job, config.digest_at),
                                 ("housekeeping", self.housekeeping_job,
                                  config.housekeeping_at)):
            scheduler.add_job(func, CronTrigger(hour=at.hour, minute=at.minute, second=at.second,
                                                timezone=config.timezone), id=job_id, name=job_id)
        return scheduler

    def _install_signal_handlers(self) -> None:
        def handle(signum, _frame) -> None:
            log.info("received %s", signal.Signals(signum).name)
            # the first signal stops the running crawl gracefully, a second one kills it
            self.crawls.stop(force=self.stop_requested.is_set())
            self.stop_requested.set()
        signal.signal(signal.SIGTERM, handle)
        signal.signal(signal.SIGINT, handle)
