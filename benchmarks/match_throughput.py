"""Watchlist matching throughput (MB/s of Arabic UTF-8 text) with 2 and with 1,000 terms.

    .venv/bin/python benchmarks/match_throughput.py [--mb 4] [--repeat 3]

The text is the seed articles repeated to about --mb megabytes. Each figure is the best of
--repeat runs of `Watchlist.match` on that whole text (normalization included), and the ratio
is taken within this one run. Three 1,000-term watchlists are measured:
- names: the 2 real terms plus 998 name-like strings that rarely occur (a realistic watchlist);
- phrases: the same, every second term a two-word phrase;
- forms: the names with the watchlist's forms, a third each: compound names (عبد …, matched
  joined or apart), suffix forms (`*`), and two-word proximity phrases (`near = 2`);
- vocabulary: the 2 real terms plus 998 words taken from the text itself, so that nearly every
  word of the text is a candidate (the worst case: cost grows with hits, not with terms).
Goal (issue 3): 1,000 terms cost at most 3x 2 terms.
"""
from __future__ import annotations

import argparse
import random
import re
import time
from collections import Counter
from pathlib import Path

from rasd.text.normalize import normalize_with_offsets
from rasd.text.watchlist import Term, Watchlist

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
REAL = ["حفتر", "أفريكوم"]
LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def corpus(megabytes: float) -> str:
    seeds = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    copies = int(megabytes * 1e6 / len(seeds.encode())) + 1
    return "\n\n".join([seeds] * copies)


def name_like(rng: random.Random, count: int, phrases: bool) -> list[str]:
    terms: set[str] = set()
    while len(terms) < count:
        word = "".join(rng.choice(LETTERS) for _ in range(rng.randint(4, 8)))
        if phrases and len(terms) % 2:
            word += " " + "".join(rng.choice(LETTERS) for _ in range(rng.randint(3, 7)))
        terms.add(word)
    return sorted(terms)


def with_forms(terms: list[str]) -> list[Term]:
    kinds = [lambda t: Term("عبد " + t), lambda t: Term(t, inflect=True),
             lambda t: Term(f"{t} {t[::-1]}", near=2)]
    return [kinds[n % 3](term) for n, term in enumerate(terms)]


def vocabulary(text: str, count: int) -> list[str]:
    words = Counter(re.findall(r"[\u0621-\u064a]{3,}", text))
    return [w for w, _ in words.most_common(count)]


def timed(function, *args) -> float:
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def best_seconds(watchlist: Watchlist, text: str, repeat: int) -> tuple[float, int]:
    best, hits = float("inf"), 0
    for _ in range(repeat):
        start = time.perf_counter()
        found = watchlist.match(text)
        best = min(best, time.perf_counter() - start)
        hits = sum(m.count for m in found)
    return best, hits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=4.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    text = corpus(args.mb)
    megabytes = len(text.encode()) / 1e6
    rng = random.Random(3)
    lists = {
        "2 terms": REAL,
        "1000 terms (names)": REAL + name_like(rng, 998, phrases=False),
        "1000 terms (phrases)": REAL + name_like(rng, 998, phrases=True),
        "1000 terms (forms)": REAL + with_forms(name_like(rng, 998, phrases=False)),
        "1000 terms (vocabulary)": REAL + [w for w in vocabulary(text, 1100)
                                          if w not in REAL][:998],
    }
    print(f"text: {megabytes:.1f} MB of Arabic UTF-8 ({len(text):,} characters)")
    seconds = min(timed(normalize_with_offsets, text, True) for _ in range(args.repeat))
    print(f"normalization alone: {megabytes / seconds:.1f} MB/s")
    base = None
    for name, terms in lists.items():
        watchlist = Watchlist({f"t{i}": [t] for i, t in enumerate(terms)})
        seconds, hits = best_seconds(watchlist, text, args.repeat)
        base = base or seconds
        print(f"{name:<26} {megabytes / seconds:6.1f} MB/s  {hits:>9,} hits  "
              f"cost {seconds / base:4.2f}x of 2 terms")


if __name__ == "__main__":
    main()
