"""Running one spider in this process and returning its stats.

Scrapy's Twisted reactor cannot be restarted, so each CLI invocation runs exactly one crawl;
the daemon runs each scheduled crawl in a child process for the same reason.
"""
from __future__ import annotations

from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings


def crawl_settings(overrides: dict[str, Any]) -> Settings:
    """rasd's settings module with `overrides` applied at command-line priority."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.update({k: v for k, v in overrides.items() if v is not None}, priority="cmdline")
    return settings


def run_spider(spider_name: str, settings: Settings) -> dict[str, Any]:
    """Run the named spider to completion; return its final stats."""
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(spider_name)
    process.crawl(crawler)
    process.start()
    return crawler.stats.get_stats()
