"""Daemon logging: to stderr (journald picks it up) and to a size-rotated file."""
from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MAX_BYTES = 10 * 1024 * 1024
BACKUPS = 5


def setup_logging(log_file: Path | None, level: str = "INFO") -> None:
    """Send every logger (rasd, apscheduler) to stderr and, if given, to a rotating file."""
    handlers: list[logging.Handler] = [logging.StreamHandler()]
    if log_file:
        Path(log_file).parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.handlers.RotatingFileHandler(
            log_file, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"))
    logging.basicConfig(level=level.upper(), format=FORMAT, handlers=handlers, force=True)
    # job runs are logged by apscheduler.executors; the scheduler's own chatter is noise
    logging.getLogger("apscheduler.scheduler").setLevel(logging.WARNING)
