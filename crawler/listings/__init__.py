"""crawler/listings."""
