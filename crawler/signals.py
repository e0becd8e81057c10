"""rasd's own Scrapy signals (sent with `crawler.signals.send_catch_log`)."""
from __future__ import annotations

# Sent by the store stage right after it inserted a new article (or overwrote a re-fetched one,
# `item["refetch"]`), inside its transaction:
# handlers get `item`, `article_id` and `db` (the store's sqlite-utils Database) and may write
# rows that belong with the article, atomically with it.
article_stored = object()
