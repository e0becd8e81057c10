"""Spiders: `news` crawls the registry's outlets; `replay` feeds local files to the pipelines."""
