"""`python scheduler.py` starts the rasd daemon, exactly as `rasd run` (same options).

The daemon itself lives in `crawler/daemon/`: the APScheduler jobs in `service.py`, each crawl
as a child process in `crawls.py`.
"""
from rasd.cli.run import run

if __name__ == "__main__":
    run(prog_name="scheduler.py")
