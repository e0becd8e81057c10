"""The analyst's watchlist laid over the shipped one: additions, removals, disabled topics,
replace = true, `rasd watchlist show/add/remove` (comments kept), and `rematch` after an
addition only adding matches, on a real replay of the seeds."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from rasd.cli import cli
from rasd.config import ConfigError
from rasd.text.watchlist import load_watchlist
from rasd.text.watchlist_layers import BOTH, DISABLED, SHIPPED, YOURS, load_effective_watchlist
from tests.conftest import SEEDS, query, run_rasd

SHIPPED_TOPICS = load_watchlist().topics


def layer(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "watchlist.toml"
    path.write_text(text, encoding="utf-8")
    return path


def invoke(*args: str, env: dict | None = None):
    return CliRunner().invoke(cli, list(args), env=env)


def test_without_a_file_the_effective_watchlist_is_the_shipped_one():
    effective = load_effective_watchlist(None)
    assert effective.watchlist.topics == SHIPPED_TOPICS
    assert {t.origin for t in effective.topics} == {SHIPPED}


def test_a_layer_adds_topics_and_terms_removes_terms_and_disables_topics(tmp_path):
    path = layer(tmp_path, """
# my additions
[topics.militias]
description = "الميليشيات"
terms = ["ميليشيا*"]

[topics.haftar]
terms = ["المشير"]
remove = ["خليفة حَفتر"]          # compared normalized

[topics.sirte]
disabled = true
""")
    effective = load_effective_watchlist(path)
    topics = effective.watchlist.topics
    assert topics["militias"] == ["ميليشيا*"]
    assert topics["haftar"] == [t for t in SHIPPED_TOPICS["haftar"] if t != "خليفة حفتر"] + \
        ["المشير"]
    assert "sirte" not in topics
    assert {k: v for k, v in topics.items() if k not in ("militias", "haftar")} == \
        {k: v for k, v in SHIPPED_TOPICS.items() if k not in ("haftar", "sirte")}
    origins = {t.slug: t for t in effective.topics}
    assert (origins["militias"].origin, origins["militias"].description) == (YOURS, "الميليشيات")
    assert (origins["haftar"].origin, origins["haftar"].added, origins["haftar"].removed) == \
        (BOTH, ("المشير",), ("خليفة حفتر",))
    assert origins["sirte"].origin == DISABLED and origins["africom"].origin == SHIPPED
    assert effective.watchlist.match("التقى المشير أمس")[0].topic == "haftar"


def test_replace_true_makes_the_file_the_whole_watchlist(tmp_path):
    path = layer(tmp_path, 'replace = true\n[topics.fair]\nterms = ["معرض الشارقة"]\n')
    effective = load_effective_watchlist(path)
    assert effective.watchlist.topics == {"fair": ["معرض الشارقة"]} and effective.replaced


@pytest.mark.parametrize("text,message", [
    ('[topics.haftar]\nremove = ["ليس مصطلحا"]\n', "'remove' names 'ليس مصطلحا', which is not"),
    ("[topics.nothing]\ndisabled = true\n", "apply to shipped topics, and 'nothing' is not"),
    ('[topics.haftar]\nnear = 1\nterms = ["a b"]\n', "near cannot be set for a shipped topic"),
    ("[topics.sirte]\ndisabled = true\nterms = ['x']\n", "a disabled topic takes no other key"),
    ("replace = true\n[topics.sirte]\ndisabled = true\n", "replace = true does not use"),
    ("replace = 1\n", "'replace' must be true or false"),
    ("topic = 3\n", "unknown top-level key(s) topic"),
    ('[topics.haftar]\nterms = ["حفتر"]\n', "'حفتر' is listed twice"),
    ('[topics.haftar]\nremove = ["حفتر", "Haftar", "Hafter", "خليفة حفتر", "صدام حفتر", '
     '"خالد حفتر", "بلقاسم حفتر"]\n', "no term would be left"),
])
def test_layer_mistakes_are_one_line_errors_naming_the_file(tmp_path, text, message):
    path = layer(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_effective_watchlist(path)
    assert message in str(caught.value) and str(path) in str(caught.value)
    assert "\n" not in str(caught.value)


def test_watchlist_add_and_remove_edit_the_file_keeping_comments(tmp_path):
    path = layer(tmp_path, "# kept: my notes\n[topics.haftar]  # and this\nterms = []\n")
    file = ["--watchlist", str(path)]
    added = invoke("watchlist", "add", "militias", "ميليشيا*", "مرتزقة", *file)
    assert added.exit_code == 0, added.output
    assert invoke("watchlist", "add", "haftar", "المشير", *file).exit_code == 0
    assert invoke("watchlist", "remove", "haftar", "صدام حفتر", *file).exit_code == 0
    assert invoke("watchlist", "remove", "sirte", *file).exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert "# kept: my notes" in text and "# and this" in text
    topics = load_effective_watchlist(path).watchlist.topics
    assert topics["militias"] == ["ميليشيا*", "مرتزقة"] and "sirte" not in topics
    assert "المشير" in topics["haftar"] and "صدام حفتر" not in topics["haftar"]

    # undoing restores the shipped list exactly
    assert invoke("watchlist", "add", "haftar", "صدام حفتر", *file).exit_code == 0
    assert invoke("watchlist", "remove", "haftar", "المشير", *file).exit_code == 0
    assert invoke("watchlist", "remove", "militias", *file).exit_code == 0
    assert invoke("watchlist", "add", "sirte", "سرت", *file).exit_code == 0   # enabled again
    assert invoke("watchlist", "add", "sirte", "سرت الجديدة", *file).exit_code == 0
    assert invoke("watchlist", "remove", "sirte", "سرت الجديدة", *file).exit_code == 0
    assert load_effective_watchlist(path).watchlist.topics == SHIPPED_TOPICS


@pytest.mark.parametrize("args,message", [
    (("add", "haftar", "حَفتر"), "'حَفتر' is already a term of this topic"),
    (("remove", "haftar", "ليس"), "'ليس' is not a term of this topic"),
    (("remove", "nothing"), "nothing: no such topic"),
    (("add", "bad slug!", "x"), "use letters, digits"),
    (("add", "new", "  "), "every term must be a non-empty string"),
])
def test_bad_edits_are_one_line_errors_and_change_nothing(tmp_path, args, message):
    path = layer(tmp_path, '# mine\n[topics.mine]\nterms = ["شيء"]\n')
    before = path.read_bytes()
    result = invoke("watchlist", *args, "--watchlist", str(path))
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and message in result.output
    assert len(result.output.splitlines()) == 1
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["watchlist.toml"]   # no temporary left


def test_the_default_file_is_watchlist_toml_in_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RASD_WATCHLIST", raising=False)
    shown = invoke("watchlist", "show", "--json")   # none yet: the shipped list alone
    assert json.loads(shown.output)["yours"] is None
    assert invoke("watchlist", "add", "fair", "معرض الشارقة").exit_code == 0
    assert (tmp_path / "watchlist.toml").exists()
    shown = invoke("watchlist", "show", "--json")
    topics = {t["slug"]: t for t in json.loads(shown.output)["topics"]}
    assert topics["fair"]["origin"] == YOURS and topics["haftar"]["origin"] == SHIPPED
    named = invoke("watchlist", "show", env={"RASD_WATCHLIST": str(tmp_path / "other.toml")})
    assert named.exit_code == 1 and "other.toml: file not found" in named.output


def test_show_says_where_each_topic_comes_from(tmp_path):
    path = layer(tmp_path, '[topics.haftar]\nterms = ["المشير"]\n[topics.sirte]\n'
                           'disabled = true\n[topics.fair]\nterms = ["معرض الشارقة"]\n')
    lines = invoke("watchlist", "show", "--watchlist", str(path)).output.splitlines()
    assert lines[0].startswith("watchlist: shipped ") and lines[0].endswith(f"yours {path}")
    assert "fair (yours)" in lines
    assert any(line.startswith("haftar (shipped + yours) — ") for line in lines)
    assert "  added by you: المشير" in lines
    assert any(line.startswith("sirte (disabled)") for line in lines)
    assert any(line.startswith("africom (shipped) — ") for line in lines)


def test_rematch_after_adding_a_topic_only_adds_matches(tmp_path, store_target):
    db = store_target
    run_rasd("replay", str(SEEDS), str(SEEDS / "negatives"), "--db", str(db))
    before = query(db, "SELECT * FROM matches ORDER BY article_id, topic, term")
    path = tmp_path / "mine.toml"
    assert invoke("watchlist", "add", "exercise", "تمرين", "مناورة*",
                  "--watchlist", str(path)).exit_code == 0
    result = invoke("rematch", "--watchlist", str(path), "--db", str(db))
    assert result.exit_code == 0, result.output
    added, removed = map(int, re.search(r"matches: (\d+) added, (\d+) removed",
                                        result.output).groups())
    assert removed == 0 and added > 0
    after = query(db, "SELECT * FROM matches ORDER BY article_id, topic, term")
    assert [row for row in after if row[1] != "exercise"] == before
    assert len(after) - len(before) == added
