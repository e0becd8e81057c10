"""Crawl workers on a PostgreSQL queue (procrastinate): the unit of work is an outlet shard.

`rasd run` enqueues one job per shard on each crawl tick (`enqueue_shards`); each `rasd worker`
takes jobs and runs `rasd crawl --shard K/N` as a child process per job (`jobs.py`), so one
outlet is crawled by one worker at a time and the Twisted reactor is never restarted.
"""
