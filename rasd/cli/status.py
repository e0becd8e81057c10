"""`rasd status`: what the daemon did and will do, and what the database holds."""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import click
from tabulate import tabulate

from rasd.cli.options import (
    db_option,
    open_database,
    queue_errors,
    queue_option,
    stalled_after_option,
)
from rasd.daemon.lock import crawl_running, daemon_lock_path, holder_description, is_held
from rasd.store.daemon_state import scheduler_state
from rasd.store.database import Store
from rasd.store.digests import latest_digest
from rasd.store.health import store_size
from rasd.store.outlet_health import failing_outlets
from rasd.store.reports import table_counts
from rasd.store.runs import recent_crawls
from rasd.config import Target, describe
from rasd.queue.target import QueueUnavailable, import_queue, queue_url

RUN_COLUMNS = ("id", "trigger", "started_at", "finished_at", "status", "requests",
               "responses_by_status", "articles_new", "articles_duplicate", "matches", "errors",
               "error")
COUNTED_TABLES = ("articles", "matches", "sources", "crawl_runs", "digests")


def _minutes(value: str | None) -> str:
    return value[:16].replace("T", " ") if value else "-"


def _span(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds:.0f}s" if seconds < 120 else f"{seconds / 60:.0f}m"


def _duration(run: dict) -> str:
    if not run["started_at"] or not run["finished_at"]:
        return "-"
    return _span((datetime.fromisoformat(run["finished_at"])
                  - datetime.fromisoformat(run["started_at"])).total_seconds())


def _figures(text: str | None) -> str:
    data = json.loads(text) if text else {}
    return " ".join(f"{k}:{v}" for k, v in sorted(data.items())) or "-"


def gather(path: Target, store: Store, runs: int) -> dict:
    """Everything `rasd status` shows, as plain data (also its --json output)."""
    state = scheduler_state(store)
    daemon = state.pop("daemon", None)
    return {
        "database": describe(path),
        "size_bytes": store_size(store),
        "counts": table_counts(store, COUNTED_TABLES),
        "daemon": {
            "running": is_held(daemon_lock_path(path)),
            "holder": holder_description(daemon_lock_path(path)),
            "last_heartbeat": daemon["updated_at"] if daemon else None,
        },
        "crawl_running": crawl_running(path),
        "jobs": state,
        "last_digest": latest_digest(store),
        "runs": recent_crawls(store, RUN_COLUMNS, runs),
        "failing_outlets": failing_outlets(store),
    }


def render(info: dict) -> str:
    daemon = info["daemon"]
    lines = [
        "daemon: " + (f"running ({daemon['holder']})" if daemon["running"] else
                      f"not running (last heartbeat {_minutes(daemon['last_heartbeat'])})"),
        "crawl in progress: " + ("yes" if info["crawl_running"] else "no"),
        f"database: {info['database']}, {info['size_bytes'] / 1048576:.1f} MiB; "
        + ", ".join(f"{n} {t}" for t, n in info["counts"].items()),
    ]
    digest = info["last_digest"]
    lines.append("last digest: " + (
        f"{digest['day']} ({digest['format']}, {digest['articles']} matching articles) "
        f"{digest['path']}, written {_minutes(digest['written_at'])}" if digest else "none"))
    if info["jobs"]:
        lines.append("jobs (UTC):")
        lines.append(tabulate(
            [[name, _minutes(job["next_run_at"]) if daemon["running"] else "(daemon stopped)",
              _minutes(job["last_run_at"]), job["last_outcome"] or "-"]
             for name, job in sorted(info["jobs"].items())],
            headers=["job", "next run", "last run", "last outcome"]))
    lines.append("last crawls (UTC):" if info["runs"] else "no crawls recorded")
    if info["runs"]:
        lines.append(tabulate(
            [[r["id"], _minutes(r["started_at"]), _duration(r), r["status"], r["trigger"] or "-",
              r["requests"], _figures(r["responses_by_status"]), r["articles_new"],
              r["articles_duplicate"], _figures(r["matches"]), r["errors"]]
             for r in info["runs"]],
            headers=["run", "started", "took", "status", "trigger", "requests", "responses",
                     "new", "dup", "matches", "errors"]))
        failures = [f"  run {r['id']}: {r['error']}" for r in info["runs"] if r["error"]]
        lines.extend(["errors:", *failures] if failures else [])
    if info["failing_outlets"]:
        lines.append("failing outlets (UTC):")
        lines.append(health_table(info["failing_outlets"]))
    if "queue" in info:
        lines.extend(render_queue(info["queue"]))
    return "\n".join(lines)


def render_queue(queue: dict) -> list[str]:
    """The queue's section: jobs by status, stalled, waiting, workers, the last failure."""
    head = (f"queue {queue['name']!r} ({queue['url']}, "
            f"stalled after {_span(queue['stalled_after'])})")
    if not queue["ready"]:
        return [f"{head}: no job queued yet (its tables are made by rasd worker, run or enqueue)"]
    lines = [f"{head}:",
             "  jobs: " + ", ".join(f"{status} {n}" for status, n in queue["jobs"].items()),
             f"  stalled (on silent workers): {queue['stalled']}; oldest waiting: "
             + (f"{_span(queue['oldest_waiting_seconds'])} "
                f"(since {_minutes(queue['oldest_waiting_since'])})"
                if queue["oldest_waiting_since"] else "none due")]
    workers = queue["workers"]
    lines.append("  workers (UTC):" if workers else "  workers: none")
    if workers:
        lines.extend("  " + line for line in tabulate(
            [[w["id"], w["name"] or "-", _minutes(w["last_heartbeat"]),
              _span(w["silent_seconds"]), " ".join(w["shards"]) or "-"] for w in workers],
            headers=["worker", "name", "last heartbeat", "silent", "crawling shards"]
        ).splitlines())
    failure = queue["last_failure"]
    if failure:
        job = failure["job"]
        lines.append(
            f"  last failure: shard {failure['shard']}, crawl run {failure['crawl_run']} "
            f"{failure['status']} at {_minutes(failure['finished_at'])}: "
            f"{(failure['error'] or '-')[:200]}")
        if job:
            lines.append(f"    its job {job['id']}: {job['status']}, {job['attempts']} "
                         "attempt(s) done" + (f", next at {_minutes(job['scheduled_at'])}"
                                              if job["status"] == "todo" and job["scheduled_at"]
                                              else ""))
    return lines


def health_table(outlets: list[dict]) -> str:
    """Failing outlets: how many crawls in a row, last success, next attempt, last error."""
    return tabulate([[o["slug"], o["consecutive_failures"], _minutes(o["last_success_at"]),
                      _minutes(o["next_attempt_at"]) if o["next_attempt_at"] else "next crawl",
                      (o["last_error"] or "-")[:100]] for o in outlets],
                    headers=["outlet", "failed crawls", "last success", "next attempt",
                             "last error"])


@click.command()
@db_option
@click.option("--runs", type=click.IntRange(min=1), default=10, show_default=True,
              help="Latest crawl runs to show")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text")
@queue_option
@stalled_after_option
def status(db: str, runs: int, as_json: bool, queue: str | None, stalled_after: float) -> None:
    """Show the daemon's state, its next jobs, the last crawls and the database's contents.

    With a queue (a postgresql:// --db, or --queue) also the crawl queue: its jobs by status,
    stalled jobs, workers, the oldest waiting job and the last failed shard crawl.
    """
    path, store = open_database(db)
    info = gather(path, store, runs)
    queue_info = queue_section(queue, path, store, stalled_after)
    if queue_info is not None:
        info["queue"] = queue_info
    click.echo(json.dumps(info, ensure_ascii=False, indent=2) if as_json else render(info))


def queue_section(queue: str | None, db: Target, store: Store,
                  stalled_after: float) -> dict | None:
    """The crawl queue's state when there is a queue (decided as `rasd run` does); a bad
    --queue, a missing extra or an unreachable queue is a one-line error."""
    with queue_errors():
        try:
            url = queue_url(queue, db)
            if url is None:
                return None
            return import_queue("rasd.queue.status").queue_status(url, store, stalled_after)
        except QueueUnavailable as exc:
            raise click.ClickException(str(exc)) from None
