"""A topic's daily counts as bar geometry for an inline SVG, and as a text sparkline.

Built from numbers only: the template writes the rectangles, so no scraped string can reach
the SVG, and the page needs no script and fetches nothing (its CSP forbids both).
"""
from __future__ import annotations

from dataclasses import dataclass

BAR, GAP, HEIGHT = 7, 2, 28
SPARKS = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    count: int
    day: str
    last: bool          # the digest's own day, drawn in the accent colour


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: tuple[Bar, ...]


def chart(days: list[str], counts: list[int]) -> Chart:
    """Bars scaled to the highest count; an empty day is a 1-px baseline mark."""
    top = max(counts, default=0) or 1
    bars = []
    for n, (day, count) in enumerate(zip(days, counts, strict=True)):
        height = max(1, round(count / top * (HEIGHT - 2))) if count else 1
        bars.append(Bar(n * (BAR + GAP), HEIGHT - height, BAR, height, count, day,
                        n == len(counts) - 1))
    return Chart(max(0, len(counts) * (BAR + GAP) - GAP), HEIGHT, tuple(bars))


def sparkline(counts: list[int]) -> str:
    """▁▂▃…█, one character per day, for text formats."""
    top = max(counts, default=0) or 1
    return "".join(SPARKS[round(c / top * (len(SPARKS) - 1))] for c in counts)
