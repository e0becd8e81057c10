"""`python -m crawler` is the same as the `rasd` command."""
from crawler.cli import main

main()
