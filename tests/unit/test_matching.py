"""Arabic-aware watchlist matching, rule by rule: every real mention, and nothing else."""
from __future__ import annotations

import random
import re
import unicodedata

import pytest

from rasd.text.normalize import normalize, normalize_with_offsets
from rasd.text.watchlist import Term, Topic, Watchlist

# The rules as the issue states them, written independently of pipelines/normalize.py.
DELETED = ("\u0610-\u061a\u061c\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u00ad\u034f\u180e"
           "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff")
LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي",
                         "ې": "ي", "ة": "ه", "ۀ": "ه", "ە": "ه", "ہ": "ه", "ھ": "ه", "ک": "ك",
                         "ڪ": "ك", **{chr(0x660 + d): str(d) for d in range(10)},
                         **{chr(0x6f0 + d): str(d) for d in range(10)}})

HAFTAR = ["حفتر"]
AFRICOM = ["أفريكوم", "AFRICOM"]
DBEIBAH = ["الدبيبة"]
SIRTE = ["سرت"]
COMMAND = ["القيادة العسكرية الأمريكية في أفريقيا"]
JMC = ["5+5"]

# (rule, terms, text, expected count of the first term)
CASES = [
    # proclitics, one at a time
    ("waw", HAFTAR, "وحفتر", 1),
    ("fa", HAFTAR, "فحفتر", 1),
    ("ba", HAFTAR, "بحفتر", 1),
    ("kaf", HAFTAR, "كحفتر", 1),
    ("lam", HAFTAR, "لحفتر", 1),
    ("article on a bare term", ["جيش"], "الجيش", 1),
    # double and triple proclitics
    ("waw+ba", HAFTAR, "وبحفتر", 1),
    ("fa+lam", HAFTAR, "فلحفتر", 1),
    ("waw+ba+article", ["قيادة"], "وبالقيادة", 1),
    ("waw+kaf+article", ["قيادة"], "وكالقيادة", 1),
    ("not a proclitic sequence: lam+ba", HAFTAR, "لبحفتر", 0),
    ("not a proclitic sequence: waw+waw", HAFTAR, "ووحفتر", 0),
    ("not a proclitic: ya", HAFTAR, "يحفتر", 0),
    ("not a proclitic: sin", HAFTAR, "سحفتر", 0),
    # ل + ال → لل, for a term written with its article
    ("lam+article", DBEIBAH, "للدبيبة", 1),
    ("waw+lam+article", DBEIBAH, "وللدبيبة", 1),
    ("ba+article", DBEIBAH, "بالدبيبة", 1),
    ("fa+article", DBEIBAH, "فالدبيبة", 1),
    ("article term written plain", DBEIBAH, "الدبيبة", 1),
    ("article term needs its article", DBEIBAH, "دبيبة", 0),
    ("article term: lam without article", DBEIBAH, "لدبيبة", 0),
    # tatweel, quotes and guillemets between a proclitic and the word
    ("lam+tatweel+guillemets", AFRICOM, "لـ«أفريكوم»", 1),
    ("ba+tatweel+quote", AFRICOM, 'بـ"أفريكوم"', 1),
    ("lam+curly quotes", AFRICOM, "لـ“أفريكوم”", 1),
    ("single quotes", AFRICOM, "‘أفريكوم’", 1),
    ("tatweel inside the word", HAFTAR, "حفـــتر", 1),
    ("tatweel after a proclitic", HAFTAR, "لـحفتر", 1),
    # diacritics
    ("fatha and sukun", HAFTAR, "حَفْتَر", 1),
    ("shadda and tanween", HAFTAR, "حفتّرٌ", 1),
    ("diacritics in the term", ["حَفْتَر"], "حفتر", 1),
    ("superscript alef", ["هذا"], "هٰذا", 1),
    ("separately typed hamza composes", AFRICOM, "ا\u0654فريكوم", 1),
    # letter variants
    ("alef without hamza", AFRICOM, "افريكوم", 1),
    ("alef with hamza below", AFRICOM, "إفريكوم", 1),
    ("alef madda", AFRICOM, "آفريكوم", 1),
    ("teh marbuta as heh", DBEIBAH, "الدبيبه", 1),
    ("alef maqsura as yeh", ["مصطفى"], "مصطفي", 1),
    ("presentation forms", HAFTAR, "ﺣﻔﺘﺮ", 1),
    ("hamza on waw stays distinct", ["مسؤول"], "مسوول", 0),
    # invisible characters
    ("right-to-left mark inside", HAFTAR, "حف\u200fتر", 1),
    ("left-to-right mark before", HAFTAR, "\u200eحفتر", 1),
    ("bidi isolates around", HAFTAR, "\u2067حفتر\u2069", 1),
    ("zero-width non-joiner", HAFTAR, "حف\u200cتر", 1),
    ("arabic letter mark", HAFTAR, "\u061cحفتر", 1),
    # Persian and Urdu look-alike letters and digits
    ("persian yeh", ["ليبيا"], "لیبیا", 1),
    ("persian keheh", ["كمال"], "کمال", 1),
    ("heh doachashmee", ["هلال"], "ھلال", 1),
    ("arabic-indic digits", JMC, "اللجنة ٥+٥", 1),
    ("persian digits", JMC, "لجنة ۵+۵", 1),
    ("spaced punctuation", JMC, "لجنة 5 + 5", 1),
    ("digits glued before", JMC, "15+5", 0),
    ("digits glued after", JMC, "5+55", 0),
    # multi-word terms across any whitespace
    ("line break inside a phrase", COMMAND, "القيادة العسكرية\nالأمريكية في أفريقيا", 1),
    ("spaces, tabs and CRLF", COMMAND, "القيادة   العسكرية\t\tالأمريكية\r\nفي  أفريقيا", 1),
    ("no-break space", COMMAND, "القيادة\u00a0العسكرية الأمريكية في أفريقيا", 1),
    ("hamza variant in a phrase", COMMAND, "القيادة العسكرية الامريكية في افريقيا", 1),
    ("proclitic on a phrase", COMMAND, "وللقيادة العسكرية الأمريكية في أفريقيا", 1),
    ("punctuation breaks a phrase", COMMAND, "القيادة العسكرية، الأمريكية في أفريقيا", 0),
    ("phrase cut short", COMMAND, "القيادة العسكرية الأمريكية", 0),
    # Latin terms
    ("latin lower case", AFRICOM[1:], "africom", 1),
    ("latin mixed case", AFRICOM[1:], "Africom's commander", 1),
    ("latin inside arabic text", AFRICOM[1:], "قائد AFRICOM في ليبيا", 1),
    ("latin in brackets", AFRICOM[1:], "(AFRICOM)", 1),
    ("latin longer word", AFRICOM[1:], "AFRICOMS", 0),
    ("latin glued prefix", AFRICOM[1:], "xafricom", 0),
    ("latin glued to an arabic word", AFRICOM[1:], "قائدAFRICOM", 1),
    ("latin followed by an arabic word", AFRICOM[1:], "AFRICOMالأمريكية", 1),
    ("latin with an arabic proclitic", AFRICOM[1:], "لـ«AFRICOM» والـAFRICOM", 2),
    ("latin glued digit", AFRICOM[1:], "AFRICOM2", 0),
    ("latin multi-word", ["Africa Command"], "US Africa\nCommand", 1),
    ("latin sharp s", ["strasse"], "Straße", 1),
    # words that contain a term but are other words
    ("family (أسرته)", SIRTE, "أسرته", 0),
    ("joy (مسرته)", SIRTE, "مسرته", 0),
    ("the two families", SIRTE, "الأسرتين", 0),
    ("she captured (أسرت)", SIRTE, "أسرت", 0),
    ("suffix", HAFTAR, "حفترية", 0),
    ("inside a longer name", ["بولس"], "قسطنطينبولس", 0),
    ("the city itself", SIRTE, "في سرت وبسرت ولسرت، «سرت»", 4),
    # counting
    ("every occurrence", HAFTAR, "حفتر، وحفتر، بحفتر\nحفتر.", 4),
]


@pytest.mark.parametrize("rule,terms,text,expected", CASES, ids=[c[0] for c in CASES])
def test_matching_rule(rule, terms, text, expected):
    found = {m.term: m.count for m in Watchlist({"t": terms}).match(text)}
    assert found.get(terms[0], 0) == expected


EXACT_SIRTE = Topic("sirte", (Term("سرت", exact=True),))
# (rule, topic, text, expected count)
TOPIC_CASES = [
    ("exact form alone", EXACT_SIRTE, "في سرت", 1),
    ("exact form refuses a proclitic", EXACT_SIRTE, "وسرت", 0),
    ("exact form refuses the article", EXACT_SIRTE, "السرت", 0),
    ("exact form in quotes", EXACT_SIRTE, "«سرت»", 1),
    ("exact form still normalized", Topic("x", (Term("حفتر", exact=True),)), "حَفْتَر", 1),
    ("exclude explains the only hit",
     Topic("sirte", (Term("سرت"),), (Term("سرت الهدنة"),)), "وقد سرت الهدنة أمس", 0),
    ("exclude leaves other hits",
     Topic("sirte", (Term("سرت"),), (Term("سرت الهدنة"),)), "سرت الهدنة في مدينة سرت", 1),
    ("exclude with a proclitic",
     Topic("sirte", (Term("سرت"),), (Term("كسرت", exact=True),)), "كسرت الحصار", 0),
    ("exact exclude keeps the clitic form",
     Topic("sirte", (Term("سرت"),), (Term("كسرت", exact=True),)), "وكسرت", 1),
    ("exclude before the term",
     Topic("haftar", (Term("حفتر"),), (Term("شارع حفتر"),)), "في شارع حفتر وحفتر", 1),
    ("co-occurrence present",
     Topic("c", (Term("أندرسون"),), requires=((Term("ليبيا"), Term("أفريكوم")),)),
     "زار أندرسون ليبيا", 1),
    ("co-occurrence via a proclitic",
     Topic("c", (Term("أندرسون"),), requires=((Term("ليبيا"),),)), "أندرسون يصل لليبيا", 1),
    ("co-occurrence missing",
     Topic("c", (Term("أندرسون"),), requires=((Term("ليبيا"),),)), "باميلا أندرسون", 0),
    ("every group required",
     Topic("c", (Term("أندرسون"),), requires=((Term("ليبيا"),), (Term("واشنطن"),))),
     "أندرسون في ليبيا", 0),
    ("every group present",
     Topic("c", (Term("أندرسون"),), requires=((Term("ليبيا"),), (Term("واشنطن"),))),
     "أندرسون من واشنطن إلى ليبيا", 1),
]


@pytest.mark.parametrize("rule,topic,text,expected", TOPIC_CASES, ids=[c[0] for c in TOPIC_CASES])
def test_topic_rule(rule, topic, text, expected):
    found = Watchlist({topic.slug: topic}).match(text)
    assert sum(m.count for m in found) == expected
    assert all(m.topic == topic.slug for m in found)


def test_snippet_position_and_form_show_the_original_characters():
    text = ("مقدمة طويلة " * 12) + "التقى\u200f لـ«حَفْتَر» قائد\nالقيادة" + (" خاتمة" * 30)
    match, = Watchlist({"haftar": HAFTAR}).match(text)
    assert match.form == "لـ«حَفْتَر"
    assert text[match.position:].startswith(match.form)
    assert "التقى\u200f لـ«حَفْتَر» قائد القيادة" in match.snippet
    assert match.snippet.startswith("…") and match.snippet.endswith("…")
    assert 120 <= len(match.snippet) <= 200
    assert "\n" not in match.snippet


def test_snippet_drops_control_and_bidi_override_characters():
    match, = Watchlist({"haftar": HAFTAR}).match("\x1b[31m حفتر\u202e قال\x07")
    assert match.snippet == "[31m حفتر قال"


def test_first_position_counts_only_real_hits():
    text = "أسرته في بيت مسرته ثم في سرت"
    match, = Watchlist({"sirte": SIRTE}).match(text)
    assert (match.count, match.position, match.form) == (1, text.index("سرت", 20), "سرت")


def test_one_topic_many_terms_and_terms_in_two_topics():
    watchlist = Watchlist({"haftar": ["حفتر", "صدام حفتر"], "family": ["صدام حفتر"]})
    found = {(m.topic, m.term): m.count for m in watchlist.match("التقى صدام حفتر ثم حفتر")}
    assert found == {("haftar", "حفتر"): 2, ("haftar", "صدام حفتر"): 1,
                     ("family", "صدام حفتر"): 1}


NORMALIZATION = [
    ("أإآٱ", "اااا"), ("ى", "ي"), ("ة", "ه"), ("یکۀ", "يكه"), ("٠١٢٣٤٥٦٧٨٩", "0123456789"),
    ("۰۹", "09"), ("حَفْتَرُ", "حفتر"), ("حفـتر", "حفتر"), ("a\u200bb\u202ec\ufeffd", "abcd"),
    ("AFRICOM", "africom"), ("ﻻ", "لا"), ("ؤ ئ", "ؤ ئ"), ("a\u00a0b", "a b"),
]


@pytest.mark.parametrize("text,expected", NORMALIZATION, ids=[n[0] for n in NORMALIZATION])
def test_normalize(text, expected):
    assert normalize(text) == expected


def test_offset_map_points_into_the_original():
    original = "قال  لـ«حَفْتَر»\n\nﻻ شيء"
    normalized = normalize_with_offsets(original, fold_whitespace=True)
    assert normalized.text == "قال ل«حفتر» لا شيء"
    start = normalized.text.index("حفتر")
    begin, end = normalized.original_span(start, start + 4)
    assert original[begin:end] == "حَفْتَر"
    lam_alef = normalized.text.index("لا")
    ligature = original.index("ﻻ")
    assert [normalized.original_offset(lam_alef + k) for k in range(3)] == [
        ligature, ligature, ligature + 1]
    assert normalized.original_offset(len(normalized.text)) == len(original)


def test_fast_normalization_equals_the_rules_applied_to_the_whole_text():
    """The per-run fast path must agree with NFKC and the rules on the whole string."""
    def reference(text: str) -> str:
        text = re.sub(f"[{DELETED}]", "", unicodedata.normalize("NFKC", text))
        return text.translate(LETTERS).casefold()

    rng = random.Random(7)
    pool = [chr(c) for c in [*range(0x20, 0x7f), *range(0xa0, 0x180), *range(0x300, 0x370),
                             *range(0x600, 0x700), 0x200c, 0x200f, 0x202e, 0xfeff, 0xfb50,
                             0xfe8d, 0xfefb, 0xfdfa, 0x2026, 0x2003]]
    for _ in range(3000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(1, 12)))
        normalized = normalize_with_offsets(text, fold_whitespace=False)
        assert normalized.text == reference(text), repr(text)
        offsets = [normalized.original_offset(i) for i in range(len(normalized.text) + 1)]
        assert offsets == sorted(offsets) and offsets[-1] == len(text), repr(text)
