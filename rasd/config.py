"""Loading of the user-editable TOML files, with errors a user can act on.

Every problem in a sources or watchlist file becomes a `ConfigError` whose message names the
file and the problem on one line; the CLI prints it without a traceback.
"""
from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any


class ConfigError(Exception):
    """A user-supplied file is missing or invalid; the message is one line for the user."""


def default_file(name: str) -> Path:
    """Path of a file shipped in `crawler/defaults/` (the default registry and watchlist)."""
    return Path(str(resources.files("rasd") / "defaults" / name))


def load_toml(path: str | Path) -> dict[str, Any]:
    """Parse a TOML file, turning every I/O or syntax problem into a one-line ConfigError."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None


def require_table(data: dict[str, Any], key: str, path: str | Path) -> dict[str, Any]:
    """Return the top-level table `key`, or explain that the file lacks it."""
    table = data.get(key)
    if not isinstance(table, dict) or not table:
        raise ConfigError(f"{path}: no [{key}.<slug>] tables found")
    return table
