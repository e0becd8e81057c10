"""The yardstick of benchmarks/crawl_throughput.py: a minimal Scrapy news crawler.

feed -> fetch -> trafilatura + langdetect -> SQLite, and nothing else, in about 40 lines:

    cd /tmp && scrapy runspider REPO/benchmarks/minimal_spider.py -a feed=URL -a db=FILE

(outside the repository: its scrapy.cfg would load rasd's settings into this spider).
"""
import sqlite3

import scrapy
import trafilatura
from langdetect import DetectorFactory, detect

DetectorFactory.seed = 0


class MinimalSpider(scrapy.Spider):
    name = "minimal"
    custom_settings = {"CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
                       "DOWNLOAD_DELAY": 0, "ROBOTSTXT_OBEY": False, "LOG_LEVEL": "WARNING",
                       "TELNETCONSOLE_ENABLED": False}

    def __init__(self, feed: str, db: str, **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [feed]
        self.conn = sqlite3.connect(db)
        self.conn.execute("CREATE TABLE IF NOT EXISTS articles"
                          " (url TEXT PRIMARY KEY, title TEXT, text TEXT, lang TEXT)")

    def parse(self, response):
        for link in response.xpath("//item/link/text()").getall():
            yield scrapy.Request(link, callback=self.parse_article)

    def parse_article(self, response):
        text = trafilatura.extract(response.text)
        if not text:
            return
        title = response.xpath("//title/text()").get()
        self.conn.execute("INSERT OR IGNORE INTO articles VALUES (?, ?, ?, ?)",
                          (response.url, title, text, detect(text)))

    def closed(self, reason):
        self.conn.commit()
        self.conn.close()
