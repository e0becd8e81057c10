"""Scrapy settings for rasd: polite defaults for news sites, and the pipeline order.

Every setting can be overridden per run with `rasd crawl -s NAME=VALUE` (or `scrapy crawl news
-s NAME=VALUE`). rasd's own settings start with RASD_.
"""
from rasd.config import CrawlSettings

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
# refuses names resolving to private addresses, for outlets not allowed them (DNS rebinding)
TWISTED_DNS_RESOLVER = "crawler.resolver.PublicOnlyResolver"
RETRY_ENABLED = True
RETRY_TIMES = 2
# the request's errback says it failed, in one line; Scrapy's give-up line would be a second
RETRY_GIVE_UP_LOG_LEVEL = "DEBUG"
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
    # first: nothing else (robots.txt included) may touch a request off the outlet's origins
    "crawler.middlewares.origins.OwnOriginsMiddleware": 40,
    # before RobotsTxtMiddleware (100), so robots.txt is matched and fetched as the source's
    # agent, and before UserAgentMiddleware (500), which only fills in a missing User-Agent
    "crawler.middlewares.source_requests.SourceUserAgentMiddleware": 50,
    "crawler.middlewares.conditional_get.ConditionalGetMiddleware": 560,
    # Scrapy's retry, waiting what a Retry-After asks for
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.retry_after.RetryAfterMiddleware": 550,
}
EXTENSIONS = {
    "crawler.extensions.runlog.CrawlRunLog": 500,
    "crawler.extensions.progress.CrawlProgress": 510,
    "crawler.extensions.alerts.CrawlAlerts": 520,
    "crawler.extensions.network_errors.NetworkErrorLines": 530,
}

# rasd's own settings (RASD_*): their defaults and meanings are rasd.config.CrawlSettings
globals().update(CrawlSettings().scrapy_settings())
