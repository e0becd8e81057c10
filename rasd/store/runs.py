"""The `crawl_runs` table: one row per crawl or replay, its end, its figures and its stats."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rasd.store import statements
from rasd.store.database import Store


def start_run(store: Store, values: Mapping[str, Any]) -> int:
    """A new run row; its id."""
    with store.transaction() as conn:
        return statements.insert_id(conn, "crawl_runs", values)


def update_run(store: Store, run_id: int, values: Mapping[str, Any]) -> None:
    with store.transaction() as conn:
        statements.update(conn, "crawl_runs", {"id": run_id}, values)


def run_status(store: Store, run_id: int) -> str | None:
    return store.value("SELECT status FROM crawl_runs WHERE id = ?", [run_id])


def last_crawl_started(store: Store) -> str | None:
    """When the latest crawl (not replay) started, as stored; None if there was none."""
    return store.value("SELECT max(started_at) FROM crawl_runs WHERE kind = 'news'")


def recent_crawls(store: Store, columns: Sequence[str], limit: int) -> list[dict[str, Any]]:
    """The latest crawls (not replays), newest first, with the given columns."""
    names = ", ".join(f'"{c}"' for c in columns)
    return store.rows(f"SELECT {names} FROM crawl_runs WHERE kind = 'news' "
                      "ORDER BY id DESC LIMIT ?", [limit])


def prune_run_stats(store: Store, started_before: str) -> int:
    """Drop the full stats JSON of runs started before the given time; their figures stay."""
    return store.write("UPDATE crawl_runs SET stats = NULL "
                       "WHERE stats IS NOT NULL AND started_at < ?", [started_before]).rowcount


_ORPHAN = ("UPDATE crawl_runs SET status = 'interrupted', "
           "error = coalesce(error, 'its process ended without recording the end') "
           "WHERE status = 'running' AND kind = 'news' AND id != ? ")


def interrupt_running_crawls(store: Store, keep: int = 0) -> int:
    """Mark every crawl still 'running' as interrupted (the caller knows none is), except
    run `keep` (the row a daemon made for the crawl about to start) and the crawls of
    workers, which run beside it (`interrupt_shard_crawls` closes theirs)."""
    return store.write(_ORPHAN + "AND coalesce(trigger, '') NOT LIKE 'worker%'",
                       [keep]).rowcount


def interrupt_shard_crawls(store: Store, trigger: str, keep: int) -> int:
    """Mark the 'running' rows of `trigger` (a worker's crawls of one shard) as interrupted,
    except `keep`: a shard is crawled by one worker at a time, so they are of dead workers."""
    return store.write(_ORPHAN + "AND trigger = ?", [keep, trigger]).rowcount


def last_failed_shard_crawl(store: Store) -> dict[str, Any] | None:
    """The newest crawl of a worker (trigger 'worker K/N') that ended badly: its id,
    trigger, status, finished_at and error; None if there is none."""
    return store.row("SELECT id, trigger, status, started_at, finished_at, error "
                     "FROM crawl_runs WHERE kind = 'news' AND trigger LIKE 'worker %' "
                     "AND status NOT IN ('running', 'ok', 'ok_with_errors') "
                     "ORDER BY id DESC LIMIT 1")
