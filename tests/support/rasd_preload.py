"""Imported once by the server process that `rasd_process` forks its `rasd` children from.

It does, ahead of time, the work every `rasd` process repeats before doing anything of its
own: importing the third-party libraries, Scrapy's default components, and loading
langdetect's language profiles (read-only data). It imports nothing of rasd (rasd may read
its environment at import), and installs no Twisted reactor (each child installs its own).
"""
from __future__ import annotations

import importlib

import apscheduler.schedulers.background  # noqa: F401
import click  # noqa: F401
import datasketch  # noqa: F401
import feedparser  # noqa: F401
import jinja2  # noqa: F401
import langdetect.detector_factory
import lxml.html  # noqa: F401
import scrapy.crawler  # noqa: F401
import sqlite_utils  # noqa: F401
import tabulate  # noqa: F401
import trafilatura  # noqa: F401
from scrapy.settings import default_settings


def _component_modules() -> set[str]:
    """The modules of the components Scrapy loads by default (middlewares, extensions...)."""
    paths: set[str] = set()
    for name in dir(default_settings):
        value = getattr(default_settings, name)
        values = value.values() if isinstance(value, dict) else [value]
        paths.update(v for v in values if isinstance(v, str) and v.startswith("scrapy."))
    return {path.rpartition(".")[0] for path in paths}


for _module in sorted(_component_modules()):
    importlib.import_module(_module)
langdetect.detector_factory.init_factory()
