"""One representation for every timestamp rasd stores: ISO 8601 in UTC."""
from __future__ import annotations

from datetime import datetime, timezone


def utc_now() -> str:
    """Now, as stored: ISO 8601 UTC to the second."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def parse_moment(text: str) -> datetime:
    """An ISO 8601 date-time as an aware datetime (UTC when it names no offset).

    Raises ValueError with a message fit for the user.
    """
    try:
        moment = datetime.fromisoformat(str(text).strip())
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO 8601 date and time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def to_utc_iso(value: str | None) -> str | None:
    """An ISO-8601-like date or timestamp as ISO 8601 UTC; None when it cannot be read.

    A date without a time stays a date (`2026-11-16`): inventing midnight would mislead.
    """
    if not value:
        return None
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")
        except ValueError:
            return None
    if len(value) == 10:
        return parsed.date().isoformat()
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc).isoformat(timespec="seconds")
