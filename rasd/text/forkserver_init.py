"""Imported by the worker pool's fork server first: it dies with the crawl that started it
(rasd.text.parent_death)."""
from rasd.text.parent_death import die_with_parent

die_with_parent()
