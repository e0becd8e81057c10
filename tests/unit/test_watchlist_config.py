"""Watchlist TOML: what analysts can write, and a clear error naming the topic otherwise."""
from __future__ import annotations

from pathlib import Path

import pytest

from rasd.config import ConfigError
from rasd.text.watchlist import Term, load_watchlist

GOOD = """
[topics.sirte]
description = "the city"
terms = ["سرت", { term = "Sirte" }, { term = "سرتي", exact = true }]
exclude = ["سرت الهدنة", { term = "كسرت", exact = true }]

[topics.commanders]
terms = ["أندرسون"]
requires = ["ليبيا", "Libya"]

[topics.two_groups]
terms = ["أندرسون"]
requires = [["ليبيا"], ["واشنطن", { term = "أمريكا", exact = true }]]
"""


def test_a_full_watchlist_loads(tmp_path: Path):
    path = tmp_path / "w.toml"
    path.write_text(GOOD, encoding="utf-8")
    watchlist = load_watchlist(path)
    sirte = watchlist.specs["sirte"]
    assert sirte.terms == (Term("سرت"), Term("Sirte"), Term("سرتي", exact=True))
    assert sirte.exclude == (Term("سرت الهدنة"), Term("كسرت", exact=True))
    assert watchlist.specs["commanders"].requires == ((Term("ليبيا"), Term("Libya")),)
    assert len(watchlist.specs["two_groups"].requires) == 2
    assert watchlist.topics["sirte"] == ["سرت", "Sirte", "سرتي"]


BAD = [
    ("not-a-table", "[topics]\nx = 3\n", "[topics.x]: must be a table"),
    ("unknown-topic-key", '[topics.x]\nterms = ["a"]\nexlude = ["b"]\n',
     "[topics.x]: unknown key(s) exlude"),
    ("description-not-string", '[topics.x]\nterms = ["a"]\ndescription = 3\n',
     "[topics.x]: 'description' must be a string"),
    ("terms-not-list", "[topics.x]\nterms = \"حفتر\"\n", "[topics.x]: 'terms' must be"),
    ("punctuation-only", '[topics.x]\nterms = ["+ -"]\n', "[topics.x]: every term"),
    ("number-term", "[topics.x]\nterms = [5]\n", "[topics.x]: every term"),
    ("unknown-term-key", '[topics.x]\nterms = [{ term = "a", exactly = true }]\n',
     "[topics.x]: unknown key(s) exactly in a term"),
    ("exact-not-bool", '[topics.x]\nterms = [{ term = "a", exact = "yes" }]\n',
     "[topics.x]: 'exact' must be true or false"),
    ("table-without-term", "[topics.x]\nterms = [{ exact = true }]\n", "[topics.x]: every term"),
    ("duplicate-after-normalization", '[topics.x]\nterms = ["أفريكوم", "افريكوم"]\n',
     "[topics.x]: term 'افريكوم' is listed twice"),
    ("term-and-exclude", '[topics.x]\nterms = ["سرت"]\nexclude = ["سرت"]\n',
     "[topics.x]: 'سرت' is both a term and excluded"),
    ("exclude-not-list", '[topics.x]\nterms = ["a"]\nexclude = "b"\n',
     "[topics.x]: 'exclude' must be a list"),
    ("blank-exclude", '[topics.x]\nterms = ["a"]\nexclude = [" "]\n',
     "[topics.x]: every excluded phrase"),
    ("requires-not-list", '[topics.x]\nterms = ["a"]\nrequires = "b"\n',
     "[topics.x]: 'requires' must be a list"),
    ("requires-empty-group", '[topics.x]\nterms = ["a"]\nrequires = [["b"], []]\n',
     "[topics.x]: 'requires' must be"),
    ("requires-mixed", '[topics.x]\nterms = ["a"]\nrequires = ["b", ["c"]]\n',
     "[topics.x]: every required term"),
]


@pytest.mark.parametrize("name,content,message", BAD, ids=[b[0] for b in BAD])
def test_invalid_watchlist_names_topic_and_problem(tmp_path: Path, name, content, message):
    path = tmp_path / f"{name}.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_watchlist(path)
    text = str(error.value)
    assert text.startswith(f"{path}: ") and message in text and "\n" not in text


def test_shipped_watchlist_covers_the_seed_names():
    watchlist = load_watchlist()
    assert {"africom", "africom_commanders", "haftar", "dbeibah", "jmc", "sirte",
            "flintlock"} <= set(watchlist.topics)
    text = ("الأمريكية برننان فيلنتلوك وقائد القيادة العسكرية الأميركية في أفريقيا برينان "
            "فلينتلوك للدبيبة في ليبيا، و«صدام حفتر» في سرت ولجنة 5+5، أسرته")
    found = {(m.topic, m.term) for m in watchlist.match(text)}
    assert {("africom_commanders", "برننان"), ("africom_commanders", "برينان"),
            ("flintlock", "فيلنتلوك"), ("flintlock", "فلينتلوك"), ("dbeibah", "دبيبة"),
            ("haftar", "صدام حفتر"), ("sirte", "سرت"), ("jmc", "5+5"),
            ("africom", "القيادة الأميركية في أفريقيا ~1")} <= found
    assert {m.topic: m.count for m in watchlist.match(text)}["sirte"] == 1
