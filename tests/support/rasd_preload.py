"""Imported once by the server process that `rasd_process` forks its `rasd` children from.

It does, ahead of time, the work every `rasd` process repeats before doing anything of its
own: importing rasd's declared dependencies (read from its metadata, so the list follows
pyproject.toml), Scrapy's default components, and loading langdetect's language profiles
(read-only data). It imports nothing of rasd (rasd may read its environment at import), and
installs no Twisted reactor (each child installs its own).
"""
from __future__ import annotations

import importlib
import re
from importlib.metadata import packages_distributions, requires


def _name(requirement: str) -> str:
    """A distribution's normalized name (PEP 503), from a requirement or a name."""
    return re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9._-]+", requirement)[0]).lower()


def dependency_modules() -> list[str]:
    """The top-level modules of rasd's runtime dependencies (not its extras)."""
    wanted = {_name(r) for r in requires("rasd") or [] if "extra ==" not in r}
    return sorted(module for module, dists in packages_distributions().items()
                  if not module.startswith("_") and wanted & {_name(d) for d in dists})


def scrapy_component_modules() -> list[str]:
    """The modules of the components Scrapy loads by default (middlewares, extensions...)."""
    from scrapy.settings import default_settings

    paths: set[str] = set()
    for name in dir(default_settings):
        value = getattr(default_settings, name)
        values = value.values() if isinstance(value, dict) else [value]
        paths.update(v for v in values if isinstance(v, str) and v.startswith("scrapy."))
    return sorted({path.rpartition(".")[0] for path in paths} | {"scrapy.crawler"})


for _module in dependency_modules() + scrapy_component_modules():
    importlib.import_module(_module)
importlib.import_module("langdetect.detector_factory").init_factory()
