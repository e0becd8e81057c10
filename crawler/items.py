"""The item that travels from the spider through every pipeline stage."""
from __future__ import annotations

import scrapy


class ArticleItem(scrapy.Item):
    """One fetched (or replayed) article; pipelines fill the later fields in order."""

    # set by the spider
    url = scrapy.Field()            # canonical article URL (file:// URI for replays)
    source = scrapy.Field()         # registry slug
    fetched_at = scrapy.Field()     # ISO 8601 UTC
    body = scrapy.Field()           # raw page bytes (None for pre-extracted replays)
    headers = scrapy.Field()        # response headers, lower-cased names -> str
    feed_title = scrapy.Field()     # title given by the feed or sitemap, if any
    feed_published = scrapy.Field() # publication date given by the feed or sitemap, ISO 8601
    source_language = scrapy.Field()  # the registry's `language` for the source, if set
    # set by extract (or directly by a .txt replay)
    title = scrapy.Field()
    text = scrapy.Field()
    published_at = scrapy.Field()   # ISO 8601 UTC, only when the page gives the time
    published_date = scrapy.Field() # YYYY-MM-DD in the outlet's own time (rasd/text/dates.py)
    author = scrapy.Field()
    site_name = scrapy.Field()
    encoding = scrapy.Field()
    # set by language
    lang = scrapy.Field()
    # set by keywords: list of rasd.text.watchlist.TermMatch
    matches = scrapy.Field()
    # set by the news spider: the article URL as the feed or sitemap gave it (before
    # crawler.urls.canonicalize_url)
    original_url = scrapy.Field()
    # set by the news spider: the URL it claimed before the download (rasd/store/claims.py),
    # given back in the transaction that stores or drops the article
    claimed_url = scrapy.Field()
    # set by the news spider: a stored article fetched again (the outlet's refetch_hours)
    refetch = scrapy.Field()
    # set by dedup: SHA-256 of the normalized words (rasd.text.similarity.fingerprint)
    fingerprint = scrapy.Field()
