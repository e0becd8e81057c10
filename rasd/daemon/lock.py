"""Inter-process locks next to the database: one crawl at a time, one daemon at a time.

`fcntl.flock` locks belong to the open file, so the kernel releases them when the holder dies,
even by SIGKILL: a crashed crawl never leaves a stale lock behind. The holder writes its pid
into the file so that whoever is refused can be told who holds it.
"""
from __future__ import annotations

import fcntl
import os
from pathlib import Path

from rasd.clock import timestamp


class LockHeld(Exception):
    """Another process holds the lock; the message says which one, on one line."""


def crawl_lock_path(db: str | os.PathLike, shard: tuple[int, int] | None = None) -> Path:
    """The lock every crawl of `db` takes (scheduled or manual); a shard's crawl takes its
    shard's own, so that crawls of different shards run side by side."""
    suffix = f"shard-{shard[0]}-of-{shard[1]}." if shard else ""
    return Path(f"{Path(db).resolve()}.crawl.{suffix}lock")


def daemon_lock_path(db: str | os.PathLike) -> Path:
    """The lock the daemon holds for as long as it runs."""
    return Path(f"{Path(db).resolve()}.daemon.lock")


class ProcessLock:
    """An exclusive, non-blocking lock on `path`; `what` names the holder in messages."""

    def __init__(self, path: Path, what: str):
        self.path = Path(path)
        self.what = what
        self._fd: int | None = None

    def acquire(self) -> "ProcessLock":
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise LockHeld(f"another {self.what} is running ({holder_description(self.path)};"
                           f" lock {self.path})") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()} {timestamp()}\n".encode())
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)   # closing the file releases the flock
            self._fd = None

    def __enter__(self) -> "ProcessLock":
        return self if self._fd is not None else self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def holder_description(path: Path) -> str:
    """'pid N since T' as written by the holder, or 'holder unknown'."""
    try:
        pid, _, since = Path(path).read_text().strip().partition(" ")
    except OSError:
        return "holder unknown"
    return f"pid {pid} since {since}" if pid else "holder unknown"


def is_held(path: Path) -> bool:
    """Whether some process holds the lock at `path` right now (never takes it for long)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def crawl_lock(db: str | os.PathLike, shard: tuple[int, int] | None = None) -> ProcessLock:
    what = f"crawl of shard {shard[0]}/{shard[1]}" if shard else "crawl"
    return ProcessLock(crawl_lock_path(db, shard), f"{what} of this database")


def daemon_lock(db: str | os.PathLike) -> ProcessLock:
    return ProcessLock(daemon_lock_path(db), "rasd daemon for this database")
