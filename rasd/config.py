"""rasd's configuration: every default written once, every RASD_* variable read here.

One typed model per kind of setting:
- `Config`: what an operator sets in the environment (a systemd unit) or with a command's
  option: the database, the daemon's schedule, retention, the digest's time zone. Each field
  is one RASD_* variable, and the command-line option that sets it too (rasd/cli/options.py)
  takes its default and its variable from here.
- `CrawlSettings`: rasd's own Scrapy settings (RASD_*), set per run with `-s NAME=VALUE`;
  `crawler/settings.py` takes their defaults from here.
- `MailSettings`: the SMTP server a digest is mailed through (RASD_SMTP_*).
The outlet registry and the watchlist are TOML files (`load_toml`). Every problem with any of
them becomes a `ConfigError` whose message is one line naming the file or the variable; the
CLI prints it without a traceback.
"""
from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import Field, dataclass, field, fields
from datetime import datetime, time
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from typing import Any

from rasd.clock import parse_moment, zone


class ConfigError(Exception):
    """A user-supplied file or variable is missing or invalid; the message is one line."""


# --- values as a user writes them -------------------------------------------------------------

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


def parse_addresses(text: str) -> tuple[str, ...]:
    """Comma-separated mail addresses; empty parts are ignored."""
    return tuple(a.strip() for a in text.split(",") if a.strip())


def parse_time_zone(text: str) -> str:
    """An IANA time zone name such as Africa/Tripoli."""
    zone(text.strip())
    return text.strip()


def whole_number(minimum: int) -> Callable[[str], int]:
    """A parser of whole numbers >= `minimum`."""
    def parse(text: str) -> int:
        try:
            value: int | None = int(str(text).strip())
        except ValueError:
            value = None
        if value is None or value < minimum:
            raise ValueError(f"{text!r} is not a whole number >= {minimum}")
        return value
    return parse


# --- the database: a SQLite file or a PostgreSQL URL -------------------------------------------
# Names and strings only, no driver: --db and RASD_DB are parsed by every command, and a
# read-only command against SQLite must not pay for importing psycopg (rasd/store/postgres.py).

SCHEMES = ("postgresql", "postgres")

Target = Path | str   # a SQLite file, or a PostgreSQL URL kept as written


def is_url(target: str | os.PathLike) -> bool:
    """Whether `target` names a PostgreSQL database (postgresql:// or postgres://)."""
    return isinstance(target, str) and target.partition("://")[0].lower() in SCHEMES


def parse_target(text: str | os.PathLike) -> Target:
    """A SQLite path as a Path, or a PostgreSQL URL checked and kept as a string; ValueError
    with a one-line message (never the password) for a URL that cannot be one."""
    if not isinstance(text, str):
        return Path(text)
    text = text.strip()
    scheme, sep, _ = text.partition("://")
    if not sep:
        return Path(text)
    if scheme.lower() not in SCHEMES:
        raise ValueError(f"{redact(text)!r} is neither a file path nor a postgresql:// URL")
    try:
        parts = urlsplit(text)
        parts.port   # raises ValueError on a port that is not a number
    except ValueError as exc:
        raise ValueError(f"{redact(text)!r} is not a valid PostgreSQL URL: {exc}") from None
    if not parts.path.strip("/"):
        raise ValueError(f"{redact(text)!r} names no database: write postgresql://user@host"
                         "[:port]/DATABASE")
    return text


def redact(url: str) -> str:
    """The URL without its password (`postgresql://user:***@host/db`), for messages and
    logs; anything that does not parse is shown as its scheme and host only."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url.partition("://")[0] + "://…"
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def describe(target: Target) -> str:
    """How messages name the database: the path, or the URL without its password."""
    return redact(target) if is_url(target) else str(target)


# --- the environment --------------------------------------------------------------------------

def _setting(variable: str, default: str | None, parse: Callable[[str], Any] = str) -> Any:
    """A Config field read from `variable`; its `default` is written as a user writes it."""
    return field(default=None if default is None else parse(default),
                 metadata={"variable": variable, "text": default, "parse": parse})


@dataclass(frozen=True)
class Config:
    """Settings an operator gives in the environment or as options; defaults are production."""

    db: Path | str = _setting("RASD_DB", "rasd.db", parse_target)   # a path, or a URL
    timezone: str = _setting("RASD_TIMEZONE", "Africa/Tripoli", parse_time_zone)
    retention_days: int = _setting("RASD_RETENTION_DAYS", "30", whole_number(0))  # 0: forever
    # the analyst's watchlist, laid over the shipped one (rasd/text/watchlist_layers.py)
    watchlist: Path = _setting("RASD_WATCHLIST", "watchlist.toml", Path)
    crawl_every: float = _setting("RASD_CRAWL_EVERY", "1h", parse_duration)
    crawl_timeout: float = _setting("RASD_CRAWL_TIMEOUT", "50m", parse_duration)
    stop_grace: float = _setting("RASD_STOP_GRACE", "30s", parse_duration)
    digest_at: time = _setting("RASD_DIGEST_AT", "07:00", parse_clock)
    housekeeping_at: time = _setting("RASD_HOUSEKEEPING_AT", "03:30", parse_clock)
    digest_format: str = _setting("RASD_DIGEST_FORMAT", "html")
    digest_email: tuple[str, ...] = _setting("RASD_DIGEST_EMAIL", "", parse_addresses)
    digests_dir: Path = _setting("RASD_DIGESTS_DIR", "digests", Path)
    keep_run_stats_days: int = _setting("RASD_KEEP_RUN_STATS_DAYS", "90", whole_number(1))
    log_file: Path | None = _setting("RASD_LOG_FILE", None, Path)   # None: next to the db
    now: datetime | None = _setting("RASD_NOW", None, parse_moment)  # decides missed digests
    # crawl workers (issue 16, rasd/queue): the queue's PostgreSQL database (None: the store's,
    # when the store is PostgreSQL), the shards an outlet registry is cut into, the shard
    # crawls a worker runs at once, and how long a worker may miss heartbeats before its jobs
    # are given to another worker
    queue_url: str | None = _setting("RASD_QUEUE_URL", None)
    shards: int = _setting("RASD_SHARDS", "16", whole_number(1))
    worker_concurrency: int = _setting("RASD_WORKER_CONCURRENCY", "1", whole_number(1))
    stalled_after: float = _setting("RASD_STALLED_AFTER", "1m", parse_duration)

    @staticmethod
    def spec(name: str) -> Field:
        """The field `name`, whose metadata hold its variable, default text and parser."""
        return next(f for f in fields(Config) if f.name == name)

    @classmethod
    def from_variable(cls, name: str, environ: Mapping[str, str] | None = None) -> Any:
        """Field `name` as its RASD_* variable sets it, or None when the variable is unset
        (or empty, as click treats it). A bad value is a one-line ConfigError."""
        spec = cls.spec(name)
        raw = (os.environ if environ is None else environ).get(spec.metadata["variable"], "")
        if not raw.strip():
            return None
        try:
            return spec.metadata["parse"](raw)
        except ValueError as exc:
            raise ConfigError(f"{spec.metadata['variable']}: {exc}") from None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Config:
        """The defaults, overridden by every RASD_* variable that is set."""
        values = {f.name: cls.from_variable(f.name, environ) for f in fields(cls)}
        return cls(**{name: value for name, value in values.items() if value is not None})


DEFAULTS = Config()


@dataclass(frozen=True)
class DaemonConfig(Config):
    """Everything `rasd run` needs: the configuration, and what it passes on to each crawl."""

    crawl_args: tuple[str, ...] = ()   # e.g. --sources FILE, -s NAME=VALUE, for `rasd crawl`
    watchlist: str | None = None       # the crawls' watchlist: the digest's topic labels, feeds


# --- rasd's Scrapy settings -------------------------------------------------------------------

@dataclass(frozen=True)
class CrawlSettings:
    """rasd's own Scrapy settings: field `x` is the setting RASD_X (`-s RASD_X=...`)."""

    db: str = str(DEFAULTS.db)          # SQLite file or URL; the CLI fills it from --db/RASD_DB
    sources: str | None = None          # registry TOML; None = the shipped default
    watchlist: str | None = None        # watchlist TOML; None = the shipped default
    languages: tuple[str, ...] = ("ar",)   # languages kept by the language stage
    min_text_chars: int = 200           # shorter extractions are not articles (index pages)
    store_batch: int = 50               # articles written per SQLite transaction
    store_reserve_kib: int = 256        # room a crawl holds beside a SQLite file for
                                        # recording its end on a full disk (0: none)
    replay_paths: tuple[str, ...] = ()  # files for the `replay` spider
    sitemap_days: int = 2               # sitemap indexes: follow children of the last N days
    now: str | None = None              # reference time (ISO 8601) for that window and for
                                        # credible publication dates; None = now
    recording_replay: bool = False      # set by `rasd replay DIR` of a recorded crawl
    probe_articles: int = 2             # `sources check --online`: articles per listing
    retention_days: int = DEFAULTS.retention_days   # the default of prune / run (not via -s)
    progress_interval: float = 60.0     # seconds between progress lines off a terminal (0: none)
    max_links_per_listing: int = 5000   # links followed per feed or sitemap (0: no cap)
    retry_after_max: float = 120.0      # seconds a Retry-After is waited for within a crawl
    backoff_max_hours: float = 24.0     # longest rest of a failing outlet between attempts
    # dedup and stories (pipelines/dedup.py)
    dup_jaccard: float = 0.6            # near duplicate: estimated Jaccard of word 5-shingles
    dup_containment: float = 0.8        # ... or the shorter text this much inside the longer
    story_similarity: float = 0.2       # same story: TF-IDF cosine with its core (text.stories)
    story_window_hours: int = 72        # ... published within this many hours of each other
    run_id: int = 0                     # crawl_runs row made by the daemon; 0 = a new row
    dropped_retry_hours: float = 168.0  # a dropped URL (language, too short) is fetched again
                                        # after this long: a page fixed by its outlet is seen
    # alerts for topics with `alert = true` (crawler/extensions/alerts.py)
    alert_email: str = ""               # comma-separated recipients (SMTP from RASD_SMTP_*)
    alert_webhook: str = ""             # URL that receives a JSON POST per alert
    alert_per_hour: int = 5             # at most this many alerts per topic in any hour
    workers: int = 0                    # processes extracting pages: 0 = one per CPU, 1 = none
    # crawl workers (issue 16): `rasd crawl --shard K/N` sets `shard`; a URL claimed by a
    # crawl that died is taken over after the lease (rasd/store/claims.py)
    shard: str = ""                     # "K/N": only the outlets of that shard; "" = all
    claim_lease_hours: float = 2.0      # longer than any crawl (RASD_CRAWL_TIMEOUT is 50m)

    def scrapy_settings(self) -> dict[str, Any]:
        """The settings by their Scrapy names, lists as Scrapy settings hold them."""
        return {f"RASD_{f.name.upper()}": list(value) if isinstance(value, tuple) else value
                for f in fields(self) for value in [getattr(self, f.name)]}


# --- mail -------------------------------------------------------------------------------------

_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class MailSettings:
    """The SMTP server digests are mailed through; secrets come only from the environment."""

    host: str
    port: int = 587
    user: str | None = None
    password: str | None = None
    sender: str = "rasd@localhost"
    starttls: bool = True
    cafile: str | None = None       # a private CA (or a test's self-signed certificate)
    timeout: float = 30.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> MailSettings:
        """RASD_SMTP_HOST (required), _PORT, _USER, _PASSWORD, _FROM, _STARTTLS, _CAFILE."""
        env = os.environ if environ is None else environ
        host = env.get("RASD_SMTP_HOST", "").strip()
        if not host:
            raise ConfigError("mail: RASD_SMTP_HOST is not set (the SMTP server to send with)")
        try:
            port = int(env.get("RASD_SMTP_PORT") or cls.port)
        except ValueError:
            raise ConfigError(f"mail: RASD_SMTP_PORT must be a number, "
                              f"not {env['RASD_SMTP_PORT']!r}") from None
        user = env.get("RASD_SMTP_USER") or None
        settings = cls(host, port, user, env.get("RASD_SMTP_PASSWORD") or None,
                       env.get("RASD_SMTP_FROM") or user or cls.sender,
                       env.get("RASD_SMTP_STARTTLS", "1").strip().lower() not in _FALSE,
                       env.get("RASD_SMTP_CAFILE") or None)
        if settings.password and not settings.starttls:
            raise ConfigError("mail: refusing to send RASD_SMTP_PASSWORD without STARTTLS "
                              "(drop RASD_SMTP_STARTTLS=0, or the password)")
        return settings


# --- TOML files -------------------------------------------------------------------------------

def default_file(name: str) -> Path:
    """Path of a file shipped in `rasd/defaults/` (the default registry and watchlist)."""
    return Path(str(resources.files("rasd") / "defaults" / name))


def load_toml(path: str | Path) -> dict[str, Any]:
    """Parse a TOML file, turning every I/O or syntax problem into a one-line ConfigError."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None


def require_table(data: dict[str, Any], key: str, path: str | Path) -> dict[str, Any]:
    """Return the top-level table `key`, or explain that the file lacks it."""
    table = data.get(key)
    if not isinstance(table, dict) or not table:
        raise ConfigError(f"{path}: no [{key}.<slug>] tables found")
    return table
