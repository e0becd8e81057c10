"""rasd/text."""
