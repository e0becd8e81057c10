"""The daemon's settings: schedules, limits and where things go.

Every setting has an environment variable (for a systemd unit) and a `rasd run` option that
overrides it (so that tests can crawl every second).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> float:
    """'90', '90s', '5m', '1.5h', '1d' as seconds; ValueError with a readable message."""
    found = _DURATION.match(str(text))
    if not found or float(found[1]) <= 0:
        raise ValueError(f"{text!r} is not a duration like 30s, 5m, 1h or 1d")
    return float(found[1]) * _UNITS[found[2]]


def parse_clock(text: str) -> time:
    """'07:00' (or '07:00:30') as a time of day."""
    for fmt in ("%H:%M", "%H:%M:%S"):
        try:
            return datetime.strptime(text.strip(), fmt).time()
        except ValueError:
            pass
    raise ValueError(f"{text!r} is not a time of day like 07:00")


@dataclass
class DaemonConfig:
    """Everything `rasd run` needs; defaults are the production schedule."""

    db: Path
    crawl_every: float = 3600.0
    crawl_timeout: float = 50 * 60.0
    stop_grace: float = 30.0
    digest_at: time = time(7, 0)
    housekeeping_at: time = time(3, 30)
    tz: str = "Africa/Tripoli"
    digest_format: str = "html"
    digest_email: tuple[str, ...] = ()                     # mailed after writing (RASD_SMTP_*)
    digests_dir: Path = Path("digests")
    keep_run_stats_days: int = 90
    retention_days: int = 30                               # text of unmatched articles
    log_file: Path | None = None
    crawl_args: list[str] = field(default_factory=list)   # passed on to `rasd crawl`
    now: datetime | None = None   # only decides which digests were missed (tests inject it)
