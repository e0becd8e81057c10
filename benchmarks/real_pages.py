"""rasd against trafilatura's defaults on the real outlet pages of tests/outlets.

    .venv/bin/python benchmarks/real_pages.py [--options]

Per page and in total: exact titles, right publication day (the outlet's own day), expected
passages of the body kept, furniture leaked into the body; for rasd also the UTC minute where
the page states one. "defaults" is `trafilatura.extract(..., with_metadata=True)` as a user would
call it (bare_extraction, for its fields). With --options, trafilatura's body options are
compared on the corpus (passages kept, furniture leaked, seconds for the corpus), which is how
rasd's TRAFILATURA_OPTIONS were chosen. (The model is trafilatura's tests/comparison.py.)
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import trafilatura

from crawler.registry.extraction_options import rules_by_slug
from rasd.text.corpus import Score, load_corpus, read_corpus_page, score
from rasd.text.encoding import decode_html

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "outlets"
OPTION_SETS = {
    "defaults": {},
    "rasd (defaults, comments apart)": {"include_comments": True, "deduplicate": False},
    "include_comments=False": {"include_comments": False},
    "favor_precision": {"favor_precision": True, "include_comments": False},
    "favor_recall": {"favor_recall": True, "include_comments": False},
    "fast": {"fast": True},
}


def _cells(s: Score) -> str:
    return (f"{'T' if s.title_exact else '-'} {'D' if s.day_right else '-'} "
            f"{s.sentences_kept}/{s.sentences} f{len(s.furniture_leaked)}")


def compare(pages, rules) -> None:
    totals = {"rasd": [], "defaults": []}
    seconds = {"rasd": 0.0, "defaults": 0.0}
    print(f"{'page':46} {'rasd':12} {'defaults':12} rasd loses")
    for page in pages:
        started = time.perf_counter()
        reading = read_corpus_page(page, rules[page.slug])
        seconds["rasd"] += time.perf_counter() - started
        ours = score(page, reading.title, reading.published.date, reading.text,
                     reading.published.at, judge_time=True)
        started = time.perf_counter()
        html, _ = decode_html(page.html, None)
        plain = trafilatura.bare_extraction(html, url=page.url, with_metadata=True)
        seconds["defaults"] += time.perf_counter() - started
        theirs = score(page, plain.title, plain.date, plain.text)
        totals["rasd"].append(ours)
        totals["defaults"].append(theirs)
        print(f"{page.id:46} {_cells(ours):12} {_cells(theirs):12} "
              f"{','.join(ours.not_worse_than(theirs)) or '-'}")
    dated = sum(1 for p in pages if p.expected["published"].get("date"))
    print(f"\n{'':32} exact titles | right day | passages kept | furniture leaked | s/corpus")
    for who, scores in totals.items():
        leaked = [s for s in scores if s.furniture_leaked]
        print(f"{who:32} {sum(s.title_exact for s in scores):>5}/{len(scores)} | "
              f"{sum(s.day_right for s in scores):>5}/{dated} | "
              f"{sum(s.sentences_kept for s in scores):>7}/{sum(s.sentences for s in scores)} | "
              f"{sum(len(s.furniture_leaked) for s in scores):>3} strings, {len(leaked)} pages | "
              f"{seconds[who]:.2f}")
    timed = [s for s in totals["rasd"] if s.time_right is not None]
    print(f"rasd UTC minute (or no time where the page gives a day only): "
          f"{sum(bool(s.time_right) for s in timed)}/{len(timed)}")


def options(pages) -> None:
    htmls = [decode_html(p.html, None)[0] for p in pages]
    trafilatura.bare_extraction(htmls[0])   # imports and caches warm
    print(f"{'trafilatura options':34} passages kept | furniture | s/corpus (rasd's rules off)")
    for label, kwargs in OPTION_SETS.items():
        started = time.perf_counter()
        kept = leaked = total = 0
        for page, html in zip(pages, htmls):
            doc = trafilatura.bare_extraction(html, url=page.url, **kwargs)
            result = score(page, None, None, doc.text if doc else "")
            kept, total = kept + result.sentences_kept, total + result.sentences
            leaked += len(result.furniture_leaked)
        print(f"{label:34} {kept:>6}/{total} | {leaked:>9} | {time.perf_counter() - started:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--options", action="store_true", help="compare trafilatura's options")
    args = parser.parse_args()
    pages = load_corpus(CORPUS)
    if args.options:
        options(pages)
        return
    compare(pages, rules_by_slug(outlets_file=CORPUS / "outlets.toml"))


if __name__ == "__main__":
    main()
