"""rasd/store."""
