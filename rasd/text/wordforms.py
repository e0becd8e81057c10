"""The Arabic spellings one watchlist term stands for: compound names, joined or apart, and
the light suffixes of inflection.

Pure functions over normalized words (`normalize.py`: أ is ا, ى is ي, ة is ه), except that a
word written with a final teh marbuta keeps it as ة here, because inflection needs to know
it: مسيرة becomes مسيرتين, but اتجاه (a root heh) becomes اتجاهات.

Compound names. Newsrooms write عبد السلام and عبدالسلام, أبو ظبي and أبوظبي, بن كيران and
بنكيران; the name's case changes أبو into أبي or أبا (مقتل أبي بكر), and ابن and بن are
interchangeable (أسامة بن لادن, ابن لادن). A prefix word binds to the word after it into one
unit, and every spelling of the unit is a form of the term. A joined word is split again only
after عبد and أبو (عبدالسلام, أبوظبي): ابن and بن start too many other words (بنغازي, بنك).

Inflection is deliberately light: a closed list of endings after the term's stem, never a
stemmer. The word must be the stem plus exactly one listed ending, so مطار finds مطارات but
not مطاردة, and دورية (patrol) finds دوريات but not الدوري (league). Broken plurals (قواعد
for قاعدة) are other words: list them as terms of their own.
"""
from __future__ import annotations

from itertools import product

TEH_MARBUTA = "ة"

# The first word of a compound name, as normalized, and the spellings it may take.
_ABU = ("ابو", "ابي", "ابا")
_IBN = ("ابن", "بن")
COMPOUND_PREFIXES = {"عبد": ("عبد",), **dict.fromkeys(_ABU, _ABU), **dict.fromkeys(_IBN, _IBN),
                     "بو": ("بو",), "ذو": ("ذو",)}
_SPLIT_PREFIXES = ("عبد", "ابو")   # glued prefixes that are split again (عبدالسلام)
_MIN_SPLIT_REST = 3                  # أبواب is a word, not أبو + اب
MIN_STEM = 3

# Attached pronouns: his/her/their/your/my/our.
PRONOUNS = ("ه", "ها", "هما", "هم", "هن", "ك", "كما", "كم", "كن", "ي", "نا")


def _with_pronouns(*bases: str) -> set[str]:
    return {base + pronoun for base in bases for pronoun in PRONOUNS}


# stem + ending, for a word without teh marbuta: حفتر → الحفتري, الحفترية; مرتزق → المرتزقة;
# مسؤول → مسؤوليها. No ت + pronoun: a verb's ت + object (قتلته "I killed him") would match.
PLAIN_ENDINGS = frozenset({
    "", "ه", "ات", "ان", "ين", "ون",                       # feminine, plurals, dual
    "ي", "يه", "يين", "يون", "يان", "يات", "يتين", "يتان",  # nisba and its forms
    *_with_pronouns("", "ات", "ي")})
# stem + ending, where the word ends in ة: مسيرة → مسيرات, بمسيرتين, مسيرته. The bare stem
# is another word (قاعد "sitting" for قاعدة, دوري "league" for دورية), so it is not a form.
TEH_MARBUTA_ENDINGS = frozenset({
    "ه", "ات", "تان", "تين", "تا", *_with_pronouns("ت", "ات")})
# stem + ending, where the word ends in يا, a country: ليبيا → ليبي, الليبيين, ليبيات;
# ميليشيا → ميليشيات, ميليشياوي. Liberia (ليبيريا) is ليب + يريا: no listed ending.
COUNTRY_ENDINGS = frozenset({
    "يا", "ي", "يه", "يين", "يون", "يان", "يات", "يتين", "يتان",
    "ياوي", "ياويه", "ياويين", "ياويون", *_with_pronouns("يات")})
# stem + ending, where the word ends in another alef: أمريكا → أمريكي, الأمريكيين.
ALEF_ENDINGS = frozenset({
    "ا", "ي", "يه", "يين", "يون", "يان", "يات", "ات",
    "اوي", "اويه", "اويين", "اويون", *_with_pronouns("ات")})


def split_joined(word: str) -> list[str]:
    """A glued compound name as its words: عبدالسلام → عبد السلام; other words unchanged."""
    for prefix in _SPLIT_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= _MIN_SPLIT_REST:
            return [prefix, word[len(prefix):]]
    return [word]


def units(words: list[str], joined: bool | None) -> list[list[str]]:
    """The term's words grouped into units whose inner spaces are optional.

    `joined` None binds a compound-name prefix to the next word; True binds every word (the
    whole term may be written with or without any of its spaces); False binds none.
    """
    if joined is False:
        return [[word] for word in words]
    words = [part for word in words for part in split_joined(word)]
    grouped: list[list[str]] = [[words[0]]]
    for previous, word in zip(words, words[1:]):
        if joined or previous in COMPOUND_PREFIXES:
            grouped[-1].append(word)
        else:
            grouped.append([word])
    return grouped


def spellings(unit: list[str]) -> set[str]:
    """Every way to write a unit: each inner space kept or dropped, prefixes in each case."""
    choices = [COMPOUND_PREFIXES.get(word, (word,)) if n < len(unit) - 1 else (word,)
               for n, word in enumerate(unit)]
    found = set()
    for words in product(*choices):
        for gaps in product((" ", ""), repeat=len(words) - 1):
            found.add(words[0] + "".join(gap + word for gap, word in zip(gaps, words[1:])))
    return found


def inflection(word: str) -> tuple[str, frozenset[str] | None]:
    """The stem a word's inflected forms start with, and the endings allowed after it.

    A stem shorter than three letters is not inflected (endings None): the endings would
    make other words of it (شر "evil" + يك is شريك "partner").
    """
    stem, endings = _stem(word)
    return (stem, endings) if len(stem) >= MIN_STEM else (word, None)


def _stem(word: str) -> tuple[str, frozenset[str]]:
    if word.endswith(TEH_MARBUTA):
        return word[:-1], TEH_MARBUTA_ENDINGS
    if word.endswith("يا"):
        return word[:-2], COUNTRY_ENDINGS
    if word.endswith("ا"):
        return word[:-1], ALEF_ENDINGS
    return word, PLAIN_ENDINGS
