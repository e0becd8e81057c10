"""The site builder `seeds/build_site.py`, loaded from its path: seeds/ is data and a script,
not a package."""
from __future__ import annotations

import importlib.util
import sys

from rasd.devsite.site import SEEDS


def _load_builder():
    spec = importlib.util.spec_from_file_location("build_site", SEEDS / "build_site.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module   # dataclasses look their module up while it is built
    spec.loader.exec_module(module)
    return module


build_site = _load_builder()
FURNITURE, SITE = build_site.FURNITURE, build_site.SITE
articles, render_page = build_site.articles, build_site.render_page
