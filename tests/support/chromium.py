"""Real headless Chromium (Debian's `chromium`, installed by `make test`) driven from its CLI.

`--dump-dom` returns the page after its scripts ran; `--screenshot` saves a PNG of the
viewport. Headless Chromium will not make a window narrower than 500 px, so narrow layouts
are measured inside iframes of the exact width, from a wrapper page the test writes.
"""
from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--disable-default-apps", "--hide-scrollbars", "--mute-audio"]


def run(url: str, profile: Path, *extra: str) -> str:
    """Run Chromium once on `url` and return its stdout."""
    result = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *extra, url],
                            capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise AssertionError(f"chromium failed ({result.returncode}): {result.stderr[-2000:]}")
    return result.stdout


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])
