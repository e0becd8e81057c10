"""crawler/registry."""
