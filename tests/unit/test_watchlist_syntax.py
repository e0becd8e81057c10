"""Watchlist TOML for the forms: `near`, `forms`, `joined` and the `*` / `~N` syntax, with a
one-line error naming the topic and the term for every mistake; and the shipped watchlist,
rewritten with these forms, still finding what its lists of variants found."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from rasd.cli import cli
from rasd.text.watchlist import Term, Topic, Watchlist, load_watchlist

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"

GOOD = """
[topics.drones]
forms = "inflect"
terms = ["مسيرة", "Bayraktar", { term = "صاروخ", forms = "plain" }, "طائرة مسيرة"]

[topics.africom]
near = 1
terms = ["أفريكوم", "القيادة الأمريكية في أفريقيا",
         { term = "القيادة الأميركية لأفريقيا", near = 2 },
         { term = "أفريكوم للقيادة", near = 0 }, { term = "بني وليد", joined = true }]

[topics.written]
terms = ["مرتزق*", "القيادة في أفريقيا ~2", { term = "عبد السلام الزوبي", joined = false }]
exclude = [{ term = "سرت الهدنة", near = 1 }]
requires = [["ليبيا*"]]
"""


def load(tmp_path: Path, content: str) -> Watchlist:
    path = tmp_path / "w.toml"
    path.write_text(content, encoding="utf-8")
    return load_watchlist(path)


def test_options_from_topic_term_and_text(tmp_path: Path):
    specs = load(tmp_path, GOOD).specs
    assert specs["drones"].terms == (
        Term("مسيرة", inflect=True), Term("Bayraktar"),   # Latin: no Arabic suffixes
        Term("صاروخ"), Term("طائرة مسيرة", inflect=True))
    assert specs["africom"].terms == (
        Term("أفريكوم"),                                  # one word: no proximity
        Term("القيادة الأمريكية في أفريقيا", near=1),
        Term("القيادة الأميركية لأفريقيا", near=2),
        Term("أفريكوم للقيادة"),
        Term("بني وليد", joined=True))                    # joined: no words between
    written = specs["written"]
    assert written.terms == (Term("مرتزق", inflect=True), Term("القيادة في أفريقيا", near=2),
                             Term("عبد السلام الزوبي", joined=False))
    assert written.exclude == (Term("سرت الهدنة", near=1),)
    assert written.requires == ((Term("ليبيا", inflect=True),),)


def test_labels_are_what_matches_store(tmp_path: Path):
    watchlist = load(tmp_path, GOOD)
    assert watchlist.topics["drones"] == ["مسيرة*", "Bayraktar", "صاروخ", "طائرة مسيرة*"]
    assert watchlist.topics["written"] == ["مرتزق*", "القيادة في أفريقيا ~2",
                                           "عبد السلام الزوبي"]
    found = {(m.topic, m.term) for m in watchlist.match(
        "المرتزقة في ليبيا. القيادة العسكرية الأمريكية في أفريقيا والمسيرات")}
    assert found == {("written", "مرتزق*"), ("written", "القيادة في أفريقيا ~2"),
                     ("africom", "القيادة الأمريكية في أفريقيا ~1"), ("drones", "مسيرة*")}


T = "[topics.x]\n"
BAD = [
    ("near-not-number", T + 'terms = [{ term = "أ ب", near = "2" }]\n',
     "[topics.x]: term 'أ ب': 'near' must be a whole number from 0 to 5 (got '2')"),
    ("near-bool", T + 'terms = [{ term = "أ ب", near = true }]\n', "term 'أ ب': 'near' must be"),
    ("near-too-far", T + 'terms = [{ term = "أ ب", near = 6 }]\n', "term 'أ ب': 'near' must be"),
    ("near-negative", T + 'near = -1\nterms = ["أ ب"]\n',
     "[topics.x]: 'near' must be a whole number from 0 to 5 (got -1)"),
    ("near-text-too-far", T + 'terms = ["أ ب ~9"]\n', "term 'أ ب ~9': 'near' must be"),
    ("near-one-word", T + 'terms = [{ term = "حفتر", near = 1 }]\n',
     "[topics.x]: term 'حفتر': 'near' needs a term of two or more words"),
    ("near-twice", T + 'terms = [{ term = "أ ب ~1", near = 2 }]\n',
     "term 'أ ب ~1': give the distance once"),
    ("forms-unknown", T + 'terms = [{ term = "مسيرة", forms = "stem" }]\n',
     "[topics.x]: term 'مسيرة': 'forms' must be \"inflect\" or \"plain\" (got 'stem')"),
    ("forms-list", T + 'forms = ["inflect"]\nterms = ["مسيرة"]\n',
     "[topics.x]: 'forms' must be \"inflect\" or \"plain\""),
    ("star-inside", T + 'terms = ["مسي*رة"]\n',
     "[topics.x]: term 'مسي*رة': '*' may only end a term"),
    ("star-and-plain", T + 'terms = [{ term = "مسيرة*", forms = "plain" }]\n',
     "term 'مسيرة*': a trailing '*' contradicts forms = \"plain\""),
    ("star-alone", T + 'terms = ["*"]\n', "[topics.x]: every term must be a non-empty string"),
    ("inflect-latin", T + 'terms = ["Haftar*"]\n',
     "term 'Haftar*': suffix forms are Arabic, and the term has no Arabic word"),
    ("joined-not-bool", T + 'terms = [{ term = "بني وليد", joined = "yes" }]\n',
     "term 'بني وليد': 'joined' must be true or false (got 'yes')"),
    ("joined-and-near", T + 'terms = [{ term = "بني وليد", joined = true, near = 1 }]\n',
     "term 'بني وليد': 'joined = true' and 'near' cannot be combined"),
    ("joined-topic-and-near-term", T + 'joined = true\nterms = ["بني وليد ~1"]\n',
     "term 'بني وليد ~1': 'near' cannot be combined with 'joined = true'"),
    ("joined-topic-and-near-topic", T + 'joined = true\nnear = 1\nterms = ["أ ب"]\n',
     "[topics.x]: 'joined = true' and 'near' cannot be combined"),
    ("joined-too-long", T + 'terms = [{ term = "ا ب ت ث ج ح خ د ذ", joined = true }]\n',
     "'joined = true' takes at most 8 words"),
    ("forms-in-exclude", T + 'terms = ["سرت"]\nexclude = [{ term = "سرت", forms = 1 }]\n',
     "[topics.x]: excluded phrase 'سرت': 'forms' must be"),
    ("unknown-term-key", T + 'terms = [{ term = "أ", nearby = 1 }]\n',
     "unknown key(s) nearby in a term (allowed: exact, forms, joined, near, term)"),
    ("same-label-twice", T + 'terms = ["مسيرة*", { term = "مسيرة", forms = "inflect" }]\n',
     "[topics.x]: term 'مسيرة*' is listed twice"),
]


@pytest.mark.parametrize("name,content,message", BAD, ids=[b[0] for b in BAD])
def test_invalid_options_are_one_line_errors_naming_topic_and_term(tmp_path: Path, name,
                                                                   content, message):
    """Through `rasd match`, as an analyst trying a term meets them."""
    watchlist = tmp_path / f"{name}.toml"
    watchlist.write_text(content, encoding="utf-8")
    article = tmp_path / "article.txt"
    article.write_text("أ ب", encoding="utf-8")
    result = CliRunner().invoke(cli, ["match", "--watchlist", str(watchlist), str(article)])
    assert result.exit_code == 1 and result.exception.__class__ is SystemExit
    line, = result.output.splitlines()
    assert line.startswith(f"Error: {watchlist}: ") and message in line


def test_plain_and_inflected_term_may_both_be_listed(tmp_path: Path):
    watchlist = load(tmp_path, T + 'terms = ["مسيرة", "مسيرة*"]\n')
    assert {m.term: m.count for m in watchlist.match("مسيرة والمسيرات")} == {
        "مسيرة": 1, "مسيرة*": 2}


# The shipped watchlist's variant lists before they became proximity terms.
OLD_VARIANTS = {
    "africom": ["القيادة العسكرية الأميركية في أفريقيا", "القيادة العسكرية الأمريكية في أفريقيا",
                "القيادة الأميركية في أفريقيا", "القيادة الأمريكية في أفريقيا",
                "القيادة الأمريكية لأفريقيا", "القيادة الأميركية لأفريقيا"],
    "jmc": ["اللجنة العسكرية المشتركة", "اللجنة العسكرية الليبية المشتركة"],
}


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")) + sorted(
    (SEEDS / "negatives").glob("*")), ids=lambda p: p.name)
def test_shipped_forms_find_what_the_variant_lists_found(path: Path):
    shipped = load_watchlist()
    text = path.read_text(encoding="utf-8")
    for topic, variants in OLD_VARIANTS.items():
        old = Watchlist({topic: variants})
        new = Watchlist({topic: Topic(topic, tuple(t for t in shipped.specs[topic].terms
                                                 if t.near))})
        assert old.term_spans(text) == new.term_spans(text)


def test_shipped_forms_cover_every_variant_and_the_seed_spellings():
    shipped = load_watchlist()
    for topic, variants in OLD_VARIANTS.items():
        for variant in variants:
            assert {m.topic for m in shipped.match(f"قال {variant} أمس")} >= {topic}, variant
    found = {(m.topic, m.count) for m in shipped.match(
        (SEEDS / "000_d3850a9b3f2c27e3.txt").read_text(encoding="utf-8"))}
    assert ("africom", 3) in found   # the three "القيادة العسكرية الأميركية في أفريقيا"
