"""Scrapy settings for rasd: polite defaults for news sites, and the pipeline order.

Every setting can be overridden per run with `rasd crawl -s NAME=VALUE` (or `scrapy crawl news
-s NAME=VALUE`). rasd's own settings start with RASD_.
"""
BOT_NAME = "rasd"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Politeness: news sites are crawled often, so be a good citizen.
USER_AGENT = "rasd/0.1 (Arabic news monitoring crawler)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
RETRY_ENABLED = True
RETRY_TIMES = 2
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024   # no news page or feed is larger than 10 MiB
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False   # Scrapy >= 2.19 would otherwise run a code-execution server
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
# Dropping a page that is not an Arabic article is routine, not a warning.
DEFAULT_DROPITEM_LOG_LEVEL = "INFO"

ITEM_PIPELINES = {
    "pipelines.extract.ExtractPipeline": 100,
    "pipelines.language.LanguagePipeline": 200,
    "pipelines.dedup.DedupPipeline": 300,
    "pipelines.keywords.KeywordsPipeline": 400,
    "pipelines.store.StorePipeline": 900,
}
DOWNLOADER_MIDDLEWARES = {
    # before RobotsTxtMiddleware (100), so robots.txt is matched and fetched as the source's
    # agent, and before UserAgentMiddleware (500), which only fills in a missing User-Agent
    "crawler.middlewares.source_requests.SourceUserAgentMiddleware": 50,
    "crawler.middlewares.conditional_get.ConditionalGetMiddleware": 560,
}
EXTENSIONS = {
    "crawler.extensions.runlog.CrawlRunLog": 500,
    "crawler.extensions.progress.CrawlProgress": 510,
}

# rasd settings
RASD_DB = "rasd.db"                 # SQLite file; the CLI fills it from --db / RASD_DB
RASD_SOURCES = None                 # registry TOML; None = the shipped default
RASD_WATCHLIST = None               # watchlist TOML; None = the shipped default
RASD_LANGUAGES = ["ar"]             # languages kept by the language stage
RASD_MIN_TEXT_CHARS = 200           # shorter extractions are not articles (index pages, errors)
RASD_STORE_BATCH = 50               # articles written per SQLite transaction
RASD_REPLAY_PATHS = []              # files for the `replay` spider
RASD_SITEMAP_DAYS = 2               # sitemap indexes: follow child sitemaps of the last N days
RASD_NOW = None                     # reference time (ISO 8601) for that window; None = now
RASD_RECORDING_REPLAY = False       # set by `rasd replay DIR` of a recorded crawl
RASD_PROBE_ARTICLES = 2             # `sources check --online`: articles fetched per listing
RASD_RETENTION_DAYS = 30            # days the text of unmatched articles is kept (0: forever)
RASD_PROGRESS_INTERVAL = 60         # seconds between progress lines off a terminal (0: none)
# dedup and stories (pipelines/dedup.py)
RASD_DUP_JACCARD = 0.6              # near duplicate: estimated Jaccard of word 5-shingles
RASD_DUP_CONTAINMENT = 0.8          # ... or the shorter text this much inside the longer one
RASD_STORY_JACCARD = 0.07           # same story: estimated Jaccard of the words (4+ letters)
RASD_STORY_WINDOW_HOURS = 72        # ... published within this many hours of each other
RASD_RUN_ID = 0                     # crawl_runs row made by the daemon; 0 = a new row
