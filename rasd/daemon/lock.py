"""Inter-process locks next to the database: one crawl at a time, one daemon at a time.

Crawls of different shards (`rasd crawl --shard K/N`, what workers run) go side by side:
each holds the database's crawl lock shared and its shard's lock exclusive. A crawl of every
outlet holds the crawl lock exclusive, so it waits for no shard and no shard for it: it
never downloads beside a shard crawl of the same outlet, and the `running` rows it closes as
orphans are never a live shard's.

`fcntl.flock` locks belong to the open file, so the kernel releases them when the holder dies,
even by SIGKILL: a crashed crawl never leaves a stale lock behind. The holder writes its pid
into the file so that whoever is refused can be told who holds it.
"""
from __future__ import annotations

import fcntl
import glob
import os
from pathlib import Path

from rasd.clock import timestamp


class LockHeld(Exception):
    """Another process holds the lock; the message says which one, on one line."""


def crawl_lock_path(db: str | os.PathLike, shard: tuple[int, int] | None = None) -> Path:
    """The lock every crawl of `db` takes (scheduled or manual), or a shard's own."""
    suffix = f"shard-{shard[0]}-of-{shard[1]}." if shard else ""
    return Path(f"{Path(db).resolve()}.crawl.{suffix}lock")


def shard_lock_paths(db: str | os.PathLike) -> list[Path]:
    """The shard locks that exist beside `db` (held or not)."""
    path = Path(db).resolve()
    return sorted(path.parent.glob(f"{glob.escape(path.name)}.crawl.shard-*-of-*.lock"))


def daemon_lock_path(db: str | os.PathLike) -> Path:
    """The lock the daemon holds for as long as it runs."""
    return Path(f"{Path(db).resolve()}.daemon.lock")


class ProcessLock:
    """A non-blocking lock on `path`, exclusive unless `shared`; `what` names the holder in
    messages. (A shared holder writes its pid too: the file names one of them.)"""

    def __init__(self, path: Path, what: str, shared: bool = False):
        self.path = Path(path)
        self.what = what
        self.shared = shared
        self._fd: int | None = None

    def acquire(self) -> "ProcessLock":
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, (fcntl.LOCK_SH if self.shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise LockHeld(f"another {self.what} is running ({holder_description(self.path)};"
                           f" lock {self.path})") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()} {timestamp()}\n".encode())
        self._fd = fd
        return self

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)   # closing the file releases the flock
            self._fd = None

    def __enter__(self) -> "ProcessLock":
        return self if self.held else self.acquire()

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


def crawl_running(db: str | os.PathLike) -> bool:
    """Whether a crawl of `db` runs right now: of every outlet, or of a shard."""
    return any(is_held(path) for path in [crawl_lock_path(db), *shard_lock_paths(db)])


class CrawlLock:
    """The locks of one crawl: the database's crawl lock (shared by shard crawls), then its
    shard's; taken together or not at all."""

    def __init__(self, db: str | os.PathLike, shard: tuple[int, int] | None = None):
        self.locks = [ProcessLock(crawl_lock_path(db), "crawl of this database",
                                  shared=shard is not None)]
        if shard:
            self.locks.append(ProcessLock(crawl_lock_path(db, shard),
                                          f"crawl of shard {shard[0]}/{shard[1]} of this "
                                          "database"))

    def acquire(self) -> "CrawlLock":
        taken: list[ProcessLock] = []
        try:
            for lock in self.locks:
                taken.append(lock.acquire())
        except LockHeld:
            for lock in taken:
                lock.release()
            raise
        return self

    def release(self) -> None:
        for lock in reversed(self.locks):
            lock.release()

    def __enter__(self) -> "CrawlLock":
        return self if self.locks[0].held else self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def crawl_lock(db: str | os.PathLike, shard: tuple[int, int] | None = None) -> CrawlLock:
    return CrawlLock(db, shard)


def daemon_lock(db: str | os.PathLike) -> ProcessLock:
    return ProcessLock(daemon_lock_path(db), "rasd daemon for this database")
