"""A write the database refused stops the crawl, once, whichever component met it.

The store stage (its batches, the drops) and the spider (its URL claims) write to the store;
when the database refuses (disk full, I/O error, locked too long, read-only) going on would
only fetch pages that cannot be stored. The first refusal's one-line description is kept under
STORE_ERROR (the run log records it, `rasd crawl` exits with it) and the spider is closed with
the reason STORE_FAILED.
"""
from __future__ import annotations

import logging

from scrapy.utils.defer import deferred_from_coro

from crawler.signals import STORE_ERROR, STORE_FAILED
from rasd.store.errors import describe_database_error

log = logging.getLogger(__name__)


def stop_on_store_failure(crawler, exc: Exception, target) -> None:
    """Keep why the database refused a write and close the spider (the first time only)."""
    if crawler.stats.get_value(STORE_ERROR) is not None:
        return
    reason = describe_database_error(exc, target)
    crawler.stats.set_value(STORE_ERROR, reason)
    log.info("store failed, closing the crawl: %s", reason)
    if crawler.crawling:   # not when the stages are driven by hand (unit tests)
        # when the spider is closing already (the last flush), its reason stays
        deferred_from_coro(crawler.engine.close_spider_async(reason=STORE_FAILED))
