"""Rewrite the `extracted` part of every tests/outlets/*/*.expected.json after a deliberate change.

    .venv/bin/python benchmarks/regenerate_outlet_expectations.py [--check]

The hand-written part of each file (title, published, sentences, furniture: what a reader sees
on the page) is never touched; only `extracted`, the record of what rasd stores for the page,
is rewritten, so that `git diff` shows exactly what a change to extraction changed. With
--check nothing is written and the exit status is 1 when a record would change.
(The model is Fundus's scripts/generate_parser_test_files.py.)
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from crawler.registry.extraction_options import rules_by_slug
from rasd.text.corpus import load_corpus, read_corpus_page, snapshot

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "outlets"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 on a change")
    args = parser.parse_args()
    rules = rules_by_slug(outlets_file=CORPUS / "outlets.toml")
    changed = 0
    for page in load_corpus(CORPUS):
        record = snapshot(read_corpus_page(page, rules[page.slug]))
        if page.expected.get("extracted") == record:
            continue
        changed += 1
        print(f"{'would change' if args.check else 'rewrote'} {page.id}")
        if not args.check:
            page.path.write_text(json.dumps({**page.expected, "extracted": record},
                                            ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{changed} of the corpus's expected files {'differ' if args.check else 'rewritten'}")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
