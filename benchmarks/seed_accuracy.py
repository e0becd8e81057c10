"""Precision, recall and F1 of watchlist matching on the seeds, against simpler approaches.

    .venv/bin/python benchmarks/seed_accuracy.py

Gold: every occurrence of the names below in the five seed articles (each was read and is a
real mention), none in the Arabic negatives (seeds/negatives, which contain أسرته, المسرة) nor
in a short extra negative made of words that contain a name but are other words. Two corpora:
- clean: the seeds as published;
- varied: the same mentions rewritten the ways outlets write them (diacritics, tatweel, a
  zero-width non-joiner, Persian letters, proclitics with tatweel and guillemets, Arabic-Indic
  digits), one way per mention in turn, and compound names written the other way (joined
  or apart). Gold counts do not change.
Approaches: plain substring search; substring search on normalized text; a Lucene-style
Arabic analyzer (a stand-in written here: Lucene's ArabicNormalizer rules, its ArabicStemmer
prefixes and suffixes, word tokens); rasd's matcher with the same spellings as terms; the
same plus the default watchlist's exclusions for سرت; and rasd with the shorter lists that
its watchlist forms allow (FORMS: a compound name written one way finds the other; AFRICOM's
Arabic name as the default watchlist's proximity terms), with the same exclusions.
Scores are micro-averaged over (document, name) counts.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from rasd.text.normalize import normalize
from rasd.text.watchlist import Term, Topic, Watchlist, load_watchlist

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
COMMAND = "القيادة الأميركية في أفريقيا"
ZUBI = "عبد السلام الزوبي"
NAMES = {   # name -> every spelling, as an analyst lists them without watchlist forms
    "حفتر": ["حفتر"], "أفريكوم": ["أفريكوم"], "سرت": ["سرت"], "الدبيبة": ["الدبيبة"],
    "برينان": ["برينان", "برننان"], "فلينتلوك": ["فلينتلوك", "فيلنتلوك"], "5+5": ["5+5"],
    COMMAND: [f"القيادة{army}{spelling} {where}" for army in (" العسكرية ", " ")
              for spelling in ("الأميركية", "الأمريكية") for where in ("في أفريقيا", "لأفريقيا")],
    ZUBI: ["عبد السلام زوبي", "عبدالسلام الزوبي"],   # as the seeds write it
}
_SHIPPED = load_watchlist().specs
FORMS: dict[str, list[Term]] = {   # name -> the terms an analyst writes with watchlist forms
    **{name: [Term(s) for s in spellings] for name, spellings in NAMES.items()},
    COMMAND: [t for t in _SHIPPED["africom"].terms if t.near],
    ZUBI: [Term("عبدالسلام زوبي"), Term("عبد السلام الزوبي")],   # each finds the other way
}
EXTRA_NEGATIVE = ("وقال إن أسرته ومسرته كبيرة، وإن الأسرتين التقتا بعد أن أسرت القوات "
                  "جنديين، فيما كسرت الفرق الأخرى الحصار.")
PERSIAN = str.maketrans({"ي": "ی", "ك": "ک", "ه": "ھ"})
DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _vary(word: str, turn: int, at_word_start: bool) -> str:
    """One realistic way to write `word`; proclitics only where the word starts."""
    ways = [
        lambda w: w[0] + "\u064e" + w[1] + "\u0652" + w[2:],          # diacritics
        lambda w: w[:2] + "ـــ" + w[2:],                               # tatweel
        lambda w: w[:1] + "\u200c" + w[1:],                            # zero-width non-joiner
        lambda w: w.translate(PERSIAN).translate(DIGITS),              # Persian letters, digits
        lambda w: "لـ«" + w + "»" if at_word_start else w[:2] + "ـ" + w[2:],
        lambda w: "وب" + w if at_word_start and not w.startswith("ال") else w.replace("أ", "ا"),
    ]
    return ways[turn % len(ways)](word)


def _swap_joined(mention: str) -> str:
    """عبد السلام as عبدالسلام and the other way round, as outlets write compound names."""
    if "عبد " in mention:
        return mention.replace("عبد ", "عبد", 1)
    return mention.replace("عبد", "عبد ", 1)


def corpora() -> dict[str, list[tuple[str, dict[str, int]]]]:
    """{corpus: [(text, gold counts per name)]}."""
    clean, varied, turn = [], [], 0
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        spellings = sorted({s for group in NAMES.values() for s in group}, key=len, reverse=True)
        pattern = re.compile("|".join(map(re.escape, spellings)))
        gold = {name: sum(text.count(s) for s in group) for name, group in NAMES.items()}
        clean.append((text, gold))
        pieces, last = [], 0
        for found in pattern.finditer(text):
            before = text[found.start() - 1] if found.start() else " "
            mention = _swap_joined(found.group())
            pieces += [text[last:found.start()], _vary(mention, turn, not before.isalnum())]
            last, turn = found.end(), turn + 1
        varied.append(("".join(pieces) + text[last:], gold))
    negatives = [p.read_text(encoding="utf-8") for p in sorted((SEEDS / "negatives").glob("*"))
                 if p.name != "english_libya.txt"] + [EXTRA_NEGATIVE]
    zero = dict.fromkeys(NAMES, 0)
    return {"clean": clean + [(t, zero) for t in negatives],
            "varied": varied + [(t, zero) for t in negatives]}


def substring(text: str) -> dict[str, int]:
    return {name: sum(text.count(s) for s in group) for name, group in NAMES.items()}


def normalized_substring(text: str) -> dict[str, int]:
    flat = normalize(text)
    return {name: sum(flat.count(normalize(s)) for s in group) for name, group in NAMES.items()}


_LUCENE_PREFIXES = ["وال", "بال", "كال", "فال", "لل", "ال", "و"]
_LUCENE_SUFFIXES = ["ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي"]
_LUCENE_TABLE = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه"})


def _lucene_tokens(text: str) -> list[str]:
    """Word tokens (format characters stay inside words, as in UAX #29), then Lucene's
    ArabicNormalizer (alef, yeh, teh marbuta, tatweel, harakat) and ArabicStemmer."""
    text = "".join(c for c in text if not unicodedata.combining(c)).replace("ـ", "")
    tokens = re.findall(r"[\w\u200c\u200d]+", text.translate(_LUCENE_TABLE).lower())
    stemmed = []
    for token in tokens:
        for prefix in _LUCENE_PREFIXES:
            if token.startswith(prefix) and len(token) > len(prefix) + 1:
                token = token[len(prefix):]
                break
        for suffix in _LUCENE_SUFFIXES:
            if token.endswith(suffix) and len(token) > len(suffix) + 1:
                token = token[:-len(suffix)]
        stemmed.append(token)
    return stemmed


def lucene_like(text: str) -> dict[str, int]:
    tokens = _lucene_tokens(text)
    counts = {}
    for name, group in NAMES.items():
        counts[name] = 0
        for spelling in group:
            query = _lucene_tokens(spelling)
            counts[name] += sum(tokens[i:i + len(query)] == query
                                for i in range(len(tokens) - len(query) + 1))
    return counts


def _with_excludes(terms: dict[str, list[Term]]) -> Watchlist:
    return Watchlist({name: Topic(name, tuple(group),
                                  _SHIPPED["sirte"].exclude if name == "سرت" else ())
                      for name, group in terms.items()})


_RASD = Watchlist({name: group for name, group in NAMES.items()})
_RASD_EXCLUDES = _with_excludes({name: list(map(Term, group)) for name, group in NAMES.items()})
_RASD_FORMS = _with_excludes(FORMS)


def _counts(watchlist: Watchlist, text: str) -> dict[str, int]:
    counts = dict.fromkeys(NAMES, 0)
    for found in watchlist.match(text):
        counts[found.topic] += found.count
    return counts


def rasd(text: str) -> dict[str, int]:
    return _counts(_RASD, text)


def rasd_with_excludes(text: str) -> dict[str, int]:
    """rasd, plus the default watchlist's exclusions for سرت (كسرت, فسرت, سرت الهدنة…)."""
    return _counts(_RASD_EXCLUDES, text)


def rasd_forms(text: str) -> dict[str, int]:
    """rasd with FORMS (compound names once, proximity terms) and the exclusions for سرت."""
    return _counts(_RASD_FORMS, text)


def score(approach, documents) -> tuple[float, float, float, int, int]:
    tp = fp = fn = 0
    for text, gold in documents:
        found = approach(text)
        for name, expected in gold.items():
            tp += min(found[name], expected)
            fp += max(0, found[name] - expected)
            fn += max(0, expected - found[name])
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    return precision, recall, 2 * precision * recall / (precision + recall), fp, fn


def main() -> None:
    for corpus, documents in corpora().items():
        mentions = sum(sum(g.values()) for _, g in documents)
        print(f"{corpus} corpus: {len(documents)} documents, {mentions} gold mentions")
        for approach in (substring, normalized_substring, lucene_like, rasd,
                         rasd_with_excludes, rasd_forms):
            p, r, f1, fp, fn = score(approach, documents)
            print(f"  {approach.__name__:<22} precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}"
                  f"  ({fp} false hits, {fn} misses)")


if __name__ == "__main__":
    main()
