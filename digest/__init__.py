"""The analysts' daily digest: what matched on a day, read from the database and rendered."""
from digest.write import write_digest

__all__ = ["write_digest"]
