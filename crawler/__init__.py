"""rasd: a Scrapy project that watches Arabic news outlets for watchlist terms."""
