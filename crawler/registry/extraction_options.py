"""Per-outlet extraction settings of the registry (docs/extraction.md).

- `timezone`: the IANA zone of times the outlet writes without an offset ("Africa/Cairo").
- `founded`: the year (or YYYY-MM-DD) the outlet started; earlier dates on its pages are wrong.
- `remove`: CSS or XPath selectors of elements that are never the article (comment rules,
  read-also boxes inside the body).
- `title_selector`, `date_selector`, `body_selector`: where the headline, the publication date
  and the body are, for an outlet that generic extraction gets wrong.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rasd.config import ConfigError, load_toml, require_table
from rasd.text.page_rules import ExtractionRules, compile_selector

KEYS = ("timezone", "founded", "remove", "title_selector", "date_selector", "body_selector")


def parse_extraction_rules(table: dict[str, Any], where: str) -> ExtractionRules:
    """Validate the extraction settings of one outlet table (ConfigError if wrong)."""
    zone = table.get("timezone")
    if zone is not None:
        try:
            ZoneInfo(str(zone))
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(f"{where}: 'timezone' must be an IANA time zone such as "
                              f"'Africa/Tripoli', not {zone!r}") from None
    founded = _founded(table.get("founded"), where)
    remove = table.get("remove", [])
    if isinstance(remove, str):
        remove = [remove]
    if not isinstance(remove, list) or not all(isinstance(s, str) and s.strip() for s in remove):
        raise ConfigError(f"{where}: 'remove' must be a list of CSS or XPath selectors")
    selectors = {}
    for key in ("title_selector", "date_selector", "body_selector"):
        value = table.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise ConfigError(f"{where}: '{key}' must be a CSS or XPath selector")
        selectors[key] = value
    for selector in [*remove, *(s for s in selectors.values() if s)]:
        try:
            compile_selector(selector)
        except ValueError as exc:
            raise ConfigError(f"{where}: {exc}") from None
    return ExtractionRules(str(table.get("name") or "").strip(), zone, founded, tuple(remove),
                           selectors["title_selector"], selectors["date_selector"],
                           selectors["body_selector"])


def _founded(value: Any, where: str) -> date | None:
    if value is None:
        return None
    try:
        if isinstance(value, int) and not isinstance(value, bool):
            return date(value, 1, 1)
        if isinstance(value, date):
            return value
        return date.fromisoformat(str(value))
    except ValueError:
        pass
    raise ConfigError(f"{where}: 'founded' must be a year or a YYYY-MM-DD date")


def load_outlet_rules(path: str | Path) -> dict[str, ExtractionRules]:
    """Extraction settings alone, one `[outlets.<slug>]` table each (name + the KEYS above):
    for outlets that are judged (tests/outlets) but not crawled."""
    tables = require_table(load_toml(path), "outlets", path)
    unknown = {slug: sorted(set(t) - {"name", "notes", *KEYS}) for slug, t in tables.items()
               if isinstance(t, dict)}
    for slug, keys in unknown.items():
        if keys:
            raise ConfigError(f"{path}: [outlets.{slug}]: unknown key(s) {', '.join(keys)}")
    return {slug: parse_extraction_rules(table, f"{path}: [outlets.{slug}]")
            for slug, table in tables.items()}


def rules_by_slug(registry: str | Path | None = None,
                  outlets_file: str | Path | None = None) -> dict[str, ExtractionRules]:
    """Every registry outlet's rules (the shipped registry when `registry` is None), plus
    those of an outlets-only file."""
    from crawler.registry.sources import load_sources  # sources.py imports this module

    rules = {source.slug: source.extraction_rules for source in load_sources(registry)}
    return rules | (load_outlet_rules(outlets_file) if outlets_file else {})
