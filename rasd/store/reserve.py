"""Room held on a SQLite database's disk, so that a crawl stopped by a full disk can still
record how it ended.

Every SQLite write needs new pages in the write-ahead log, even the small update that marks a
run `failed` with its true counts; on a disk the crawl has just filled there may be none, and
the run would stay `running` until the next crawl calls it `interrupted`. A crawl therefore
holds a file of RASD_STORE_RESERVE_KIB beside the database (`rasd.db-reserve`, next to
`rasd.db-wal`) and deletes it when a write is refused, which frees that room for the last
update; the next crawl on a disk with room takes it again. This is the reserved space ext4
keeps for root, for a file database that has none of its own. PostgreSQL keeps its own
margins: nothing is held for it.
"""
from __future__ import annotations

import os
from pathlib import Path

from rasd.store.database import Store


def reserve_path(store: Store) -> Path | None:
    """Where the store's reserve lives: beside a SQLite file; None for PostgreSQL."""
    if store.dialect != "sqlite":
        return None
    path = Path(store.path)
    return path.with_name(path.name + "-reserve")


def hold_reserve(store: Store, kib: int) -> bool:
    """Make sure the reserve exists with at least `kib` KiB of allocated blocks (a sparse
    file would hold nothing). False when there is no room for it (the crawl goes on: a disk
    that full fails its first batch anyway) or nothing is to be held."""
    path = reserve_path(store)
    if path is None or kib <= 0:
        return False
    size = kib * 1024
    try:
        if path.stat().st_size >= size:
            return True
    except FileNotFoundError:
        pass
    partial = path.with_name(f"{path.name}.{os.getpid()}")   # never a half-sized reserve
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.posix_fallocate(fd, 0, size)   # glibc writes zeros where fallocate is missing
        finally:
            os.close(fd)
        os.replace(partial, path)
    except OSError:
        partial.unlink(missing_ok=True)
        return False
    return True


def release_reserve(store: Store) -> bool:
    """Give the reserve's room back to the disk; False when there was none to give."""
    path = reserve_path(store)
    if path is None:
        return False
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True
