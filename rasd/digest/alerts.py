"""Announcing new stories of alert topics (`alert = true` in the watchlist), as they happen.

At the end of each crawl (crawler/extensions/alerts.py): the stories of alert topics that the
crawl stored are queued in `alerts`, once per (topic, story); then every pending alert is
delivered, oldest first, by mail (RASD_ALERT_EMAIL, through the RASD_SMTP_* server) and by a
JSON POST to RASD_ALERT_WEBHOOK, each channel that is configured. At most
RASD_ALERT_PER_HOUR alerts per topic are sent in any hour; the rest wait for a later crawl.
A failure is logged and recorded; the alert stays pending and is retried after the next
crawl. A channel that already took an alert is not used again for it.
"""
from __future__ import annotations

import json
import logging
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from rasd.clock import now, timestamp
from rasd.config import MailSettings
from rasd.digest.highlight import safe_url
from rasd.digest.mail import build_message, send_message
from rasd.store.alerts import pending_alerts, queue_alerts, record_attempt, sent_since
from rasd.store.database import Store

log = logging.getLogger(__name__)
WEBHOOK_TIMEOUT = 10.0


@dataclass(frozen=True)
class AlertChannels:
    """Where alerts go; an empty channel is not used."""

    recipients: tuple[str, ...] = ()
    webhook: str = ""
    per_hour: int = 5
    mail: MailSettings | None = None     # RASD_SMTP_*, read when there are recipients


def payload(alert: Mapping[str, Any], description: str) -> dict[str, Any]:
    """The JSON posted to the webhook (and the facts of the mail)."""
    return {"topic": alert["topic"], "description": description or alert["topic"],
            "story_id": alert["story_id"],
            "title": alert["story_title"] or alert["title"] or "",
            "url": safe_url(alert["url"]), "source": alert["source"],
            "first_seen": alert["first_seen"], "articles": alert["articles"],
            "outlets": alert["outlets"]}


def _mail(facts: dict[str, Any], channels: AlertChannels) -> None:
    subject = f"تنبيه رصد — {facts['description']}: {facts['title'][:120]}"
    text = "\n".join([facts["title"], "", f"الموضوع: {facts['description']}",
                      f"المصدر: {facts['source']}", f"الرابط: {facts['url'] or '—'}",
                      f"أول ظهور: {facts['first_seen']}"])
    if channels.mail is None:
        raise RuntimeError("mail: RASD_SMTP_HOST is not set (the SMTP server to send with)")
    send_message(build_message(subject, text, "", channels.mail.sender, channels.recipients),
                 channels.mail)


def _post(facts: dict[str, Any], url: str) -> None:
    request = urllib.request.Request(
        url, data=json.dumps(facts, ensure_ascii=False).encode("utf-8"), method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "rasd"})
    with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT) as response:
        response.read()


def deliver(store: Store, channels: AlertChannels, descriptions: Mapping[str, str]) -> dict:
    """Send every pending alert within the per-topic rate; counts of sent, failed, deferred."""
    counts = {"sent": 0, "failed": 0, "deferred": 0}
    hour_ago = (now() - timedelta(hours=1)).isoformat(timespec="seconds")
    for alert in pending_alerts(store):
        topic, story = alert["topic"], alert["story_id"]
        if sent_since(store, topic, hour_ago) >= channels.per_hour:
            counts["deferred"] += 1
            continue
        facts = payload(alert, descriptions.get(topic, ""))
        changes: dict[str, str | None] = {}
        try:
            if channels.recipients and not alert["mailed_at"]:
                _mail(facts, channels)
                changes["mailed_at"] = timestamp()
            if channels.webhook and not alert["posted_at"]:
                _post(facts, channels.webhook)
                changes["posted_at"] = timestamp()
        except Exception as exc:   # any channel's failure: logged, kept, retried next crawl
            log.warning("alert %s/%s not delivered (attempt %d): %s", topic, story,
                        alert["attempts"] + 1, exc)
            counts["failed"] += 1
            record_attempt(store, topic, story, **changes, last_error=str(exc)[:500])
            continue
        record_attempt(store, topic, story, **changes, sent_at=timestamp(), last_error=None)
        counts["sent"] += 1
    return counts


def announce(store: Store, alert_topics: Sequence[str], since: str, channels: AlertChannels,
             descriptions: Mapping[str, str]) -> dict:
    """Queue this crawl's new stories of `alert_topics`, then deliver what is pending."""
    queued = queue_alerts(store, list(alert_topics), since, timestamp())
    return {"queued": queued, **deliver(store, channels, descriptions)}
