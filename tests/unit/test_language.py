"""Language detection: the script shortcut and the bounded sample decide as plain langdetect."""
from __future__ import annotations

import pytest
from langdetect import LangDetectException, detect

from rasd.devsite.bulk import page_text
from rasd.devsite.site import SEEDS
from rasd.text.language import SAMPLE_CHARS, detect_language, sample, script_says_arabic

PERSIAN = "این یک متن فارسی است که برای آزمایش نوشته شده و باید فارسی تشخیص داده شود"
URDU = "یہ اردو زبان میں لکھا گیا ایک جملہ ہے جو پاکستان کے بارے میں ہے"
SEED_TEXTS = [p.read_text(encoding="utf-8") for p in
              sorted(SEEDS.glob("*.txt")) + sorted((SEEDS / "negatives").glob("*.txt"))]
PAGES = ["\n".join([title, *paragraphs]) for title, paragraphs in map(page_text, range(60))]


def plain_langdetect(text: str) -> str:
    try:
        return detect(text)
    except LangDetectException:
        return "unknown"


@pytest.mark.parametrize("text", SEED_TEXTS + PAGES + [PERSIAN, URDU, "12345 !!!", ""])
def test_same_decision_as_plain_langdetect_on_the_whole_text(text):
    assert detect_language(text) == plain_langdetect(text)


def test_arabic_seeds_take_the_shortcut_and_other_scripts_do_not():
    arabic = [t for t in SEED_TEXTS if plain_langdetect(t) == "ar"]
    assert len(arabic) == len(SEED_TEXTS) - 1   # all but the English negative
    assert all(script_says_arabic(sample(t)) for t in arabic)
    assert not script_says_arabic(PERSIAN) and not script_says_arabic(URDU)
    assert not script_says_arabic("Haftar met AFRICOM's commander in Benghazi")
    assert detect_language(PERSIAN) == "fa" and detect_language(URDU) == "ur"


def test_sample_is_bounded_and_ends_at_a_word():
    text = "كلمة " * 1000
    head = sample(text)
    assert len(head) <= SAMPLE_CHARS and text.startswith(head) and not head.endswith("كل")
    assert sample("قصير") == "قصير"
