"""rasd's own Scrapy signals (sent with `crawler.signals.send_catch_log`)."""
from __future__ import annotations

# Sent by the store stage right after it inserted a new article (or overwrote a re-fetched one,
# `item["refetch"]`), inside its batch transaction. Handlers get `item`, `article_id`, `store`
# (the rasd.store.Store, whose writes join that transaction) and `counts` (a Counter of stats
# the store stage adds once the batch is committed). A handler that raises fails the batch.
article_stored = object()

# The stats key the store stage increments when a batch fails to commit; the conditional GET
# middleware then keeps the listings' old validators, so the next crawl reads them in full.
STORE_FAILURES = "rasd/store_failures"

# When the database refuses a write (disk full, I/O error, locked too long, read-only), the
# store stage closes the spider with this reason and keeps the error's one-line description
# under STORE_ERROR; the run is recorded as failed and `rasd crawl` exits with that line.
STORE_FAILED = "store_failed"
STORE_ERROR = "rasd/store_error"
