"""Writing a digest to a file, recording it in the `digests` table, and mailing it."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path

from rasd.clock import timestamp
from rasd.config import DEFAULTS
from rasd.digest.content import Digest, load_digest
from rasd.digest.mail import MailSettings, build_message, send_message
from rasd.digest.period import Period
from rasd.digest.render import EXTENSIONS, RENDERERS, render_html, render_markdown
from rasd.store.database import open_store
from rasd.store.digests import record_digest
from rasd.text.watchlist_layers import load_effective_watchlist


def topic_descriptions(watchlist: str | Path | None = None) -> dict[str, str]:
    """The topics' descriptions from the effective watchlist (the shipped one with the
    analyst's layer `watchlist` over it): the digest shows them instead of the slugs ("" for a
    topic without one)."""
    specs = load_effective_watchlist(watchlist).watchlist.specs
    return {slug: spec.description for slug, spec in specs.items()}


def default_path(period: Period, fmt: str, out_dir: str | Path = DEFAULTS.digests_dir,
                 topic: str | None = None) -> Path:
    """`digests/YYYY-MM-DD.html` for a day; the period's slug for any other window;
    `digests/YYYY-MM-DD.SLUG.atom` for one topic."""
    middle = f".{topic}" if topic else ""
    return Path(out_dir) / f"{period.slug()}{middle}.{EXTENSIONS[fmt]}"


def write_period(db_path: str | Path, period: Period, out_dir: str | Path = DEFAULTS.digests_dir,
                 fmt: str = DEFAULTS.digest_format, out_file: str | Path | None = None,
                 descriptions: Mapping[str, str] | None = None, topic: str | None = None,
                 record: bool = True) -> tuple[Path, Digest]:
    """Render `period` (of one `topic`, or all) into its file (atomically) and record it;
    a rerun replaces both. A one-topic digest is recorded as format `FORMAT:SLUG`.
    Topic labels are `descriptions`, by default the shipped watchlist's."""
    store = open_store(db_path)
    if descriptions is None:
        descriptions = topic_descriptions()
    digest = load_digest(store, period, descriptions, topic)
    path = Path(out_file) if out_file else default_path(period, fmt, out_dir, topic)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(RENDERERS[fmt](digest), encoding="utf-8")
    tmp.replace(path)
    if record:
        record_digest(store, period.label, f"{fmt}:{topic}" if topic else fmt, str(path),
                      timestamp(), digest.match_count)
    return path, digest


def subject(digest: Digest) -> str:
    """The mail subject: the period and the number of matching articles."""
    return f"موجز رصد {digest.period.label} — عدد المطابقات: {digest.match_count}"


def mail_digest(digest: Digest, recipients: Sequence[str],
                settings: MailSettings | None = None) -> None:
    """Mail `digest` (Markdown text, HTML alternative); settings default to RASD_SMTP_*."""
    settings = settings or MailSettings.from_env()
    message = build_message(subject(digest), render_markdown(digest), render_html(digest),
                            settings.sender, recipients)
    send_message(message, settings)


def write_digest(db_path: str | Path, day: date, out_dir: str | Path = DEFAULTS.digests_dir,
                 fmt: str = DEFAULTS.digest_format, tz: str = DEFAULTS.timezone,
                 out_file: str | Path | None = None, email: Sequence[str] = (),
                 mail_settings: MailSettings | None = None,
                 descriptions: Mapping[str, str] | None = None) -> Path:
    """Write the digest of local `day` into `out_dir/YYYY-MM-DD.<fmt>` (or `out_file`).

    With `email`, also mail it to those addresses (after the file is safely written).
    """
    path, digest = write_period(db_path, Period.day(day, tz), out_dir, fmt, out_file,
                                descriptions)
    if email:
        mail_digest(digest, email, mail_settings)
    return path


FEED_DAYS = 7


def write_topic_feeds(db_path: str | Path, day: date, out_dir: str | Path = DEFAULTS.digests_dir,
                      tz: str = DEFAULTS.timezone, watchlist: str | Path | None = None,
                      ) -> list[Path]:
    """One Atom feed per watchlist topic at a stable address, `OUT_DIR/feeds/SLUG.atom`, with
    the topic's stories of the FEED_DAYS local days up to `day`: what a feed reader follows.
    Rewritten with each daily digest; not recorded in the `digests` table."""
    descriptions = topic_descriptions(watchlist)
    period = Period.between(datetime.combine(day - timedelta(days=FEED_DAYS - 1), time.min),
                            datetime.combine(day + timedelta(days=1), time.min), tz)
    return [write_period(db_path, period, fmt="atom", descriptions=descriptions, topic=slug,
                         out_file=Path(out_dir) / "feeds" / f"{slug}.atom", record=False)[0]
            for slug in descriptions]
