"""Alerts at the end of the crawl that found them (see rasd.digest.alerts).

Enabled when the watchlist has a topic with `alert = true` and RASD_ALERT_EMAIL or
RASD_ALERT_WEBHOOK is set. On spider_closed — after the store stage committed its last batch
— this crawl's new stories of those topics are queued and every pending alert is delivered;
the outcome goes to the stats (rasd/alerts_*) and the log.
"""
from __future__ import annotations

import logging

from scrapy import signals
from scrapy.exceptions import NotConfigured

from rasd.clock import timestamp
from rasd.config import ConfigError, MailSettings
from rasd.digest.alerts import AlertChannels, announce
from rasd.store.database import open_store
from rasd.text.watchlist_layers import load_effective_watchlist

log = logging.getLogger(__name__)


class CrawlAlerts:
    def __init__(self, crawler, topics: list[str], descriptions: dict[str, str],
                 channels: AlertChannels):
        self.crawler = crawler
        self.topics = topics
        self.descriptions = descriptions
        self.channels = channels
        self.since = timestamp()

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        recipients = tuple(a.strip() for a in settings.get("RASD_ALERT_EMAIL", "").split(",")
                           if a.strip())
        webhook = settings.get("RASD_ALERT_WEBHOOK", "")
        if not (recipients or webhook):
            raise NotConfigured   # no RASD_ALERT_EMAIL or RASD_ALERT_WEBHOOK: the usual case,
            # so no reason is given (Scrapy would print it as a warning on every crawl)
        specs = load_effective_watchlist(settings.get("RASD_WATCHLIST")).watchlist.specs
        topics = [slug for slug, spec in specs.items() if spec.alert]
        if not topics:
            raise NotConfigured   # no topic has alert = true (silently, as above)
        mail = None
        if recipients:
            try:
                mail = MailSettings.from_env()
            except ConfigError as exc:   # every alert fails, is logged, and waits
                log.error("alerts: %s", exc)
        channels = AlertChannels(recipients, webhook, settings.getint("RASD_ALERT_PER_HOUR"),
                                 mail)
        ext = cls(crawler, topics, {s: specs[s].description for s in topics}, channels)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider) -> None:
        self.since = timestamp()

    def spider_closed(self, spider, reason: str) -> None:
        store = open_store(self.crawler.settings.get("RASD_DB"))
        counts = announce(store, self.topics, self.since, self.channels, self.descriptions)
        for name, value in counts.items():
            self.crawler.stats.set_value(f"rasd/alerts_{name}", value)
        log.info("alerts: %(queued)d queued, %(sent)d sent, %(failed)d failed, "
                 "%(deferred)d deferred", counts)
