"""`python -m rasd` is the same as the `rasd` command."""
from rasd.cli import main

main()
