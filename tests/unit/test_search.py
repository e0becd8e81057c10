"""`rasd search` over a real replay of the seeds: normalized spellings and proclitics, phrases,
AND/OR/NOT, snippets in the original characters, the index kept in step by the store, and
hostile queries turned away in one line — on SQLite (FTS5) and on PostgreSQL (tsvector), the
same queries finding the same articles."""
from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from rasd.cli import cli
from rasd.store.articles import save_article
from rasd.store.database import Store, open_store
from rasd.store.retention import prune_unmatched_text
from rasd.store.search import document, rebuild, search
from rasd.text.search_query import QueryError, parse_query, to_fts
from tests.conftest import SEEDS, query, run_rasd

HAFTAR_SEEDS = 5   # every seed names حفتر; the negatives do not
BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="module", params=BACKENDS)
def seeds_db(request, tmp_path_factory) -> str:
    """The seeds replayed into a new SQLite file or PostgreSQL database (its --db)."""
    if request.param == "sqlite":
        db = str(tmp_path_factory.mktemp("search") / "rasd.db")
    else:
        db = request.getfixturevalue("postgres_cluster").new_database()
    run_rasd("replay", str(SEEDS), str(SEEDS / "negatives"), "--db", db)
    return db


@pytest.fixture
def store(store_target) -> Store:
    """A new empty store on each backend."""
    return open_store(store_target)


def found(db: str, *args: str) -> list[dict]:
    result = CliRunner().invoke(cli, ["search", *args, "--json", "--limit", "50",
                                      "--db", str(db)])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def ids(db: str, *args: str) -> set[int]:
    return {hit["id"] for hit in found(db, *args)}


def test_spellings_with_diacritics_tatweel_and_proclitics_find_the_same_articles(seeds_db):
    plain = ids(seeds_db, "حفتر")
    assert len(plain) == HAFTAR_SEEDS
    assert ids(seeds_db, "حَفْتَر") == ids(seeds_db, "حفـــتر") == ids(seeds_db, "بحفتر") \
        == ids(seeds_db, "وحفتر") == plain
    negatives = {r[0] for r in query(seeds_db, "SELECT id FROM articles WHERE url LIKE ?",
                                     "%negatives%")}
    assert negatives and not plain & negatives


def test_a_word_written_only_with_a_proclitic_is_found_by_the_bare_word(store):
    saved = save_article(store, {"url": "https://o.example/1", "title": "لقاء في بنغازي",
                                 "text": "وصل الوفد والتقى بحَفْتَر أمس"}, [])
    other = save_article(store, {"url": "https://o.example/2", "title": "البحر",
                                 "text": "هدوء في البحر"}, [])
    hits = search(store, parse_query("حفتر"))
    assert [h.id for h in hits] == [saved.article_id]
    snippet = hits[0].snippet
    (start, end), = snippet.highlights
    assert snippet.text[start:end] == "بحَفْتَر"   # the original characters, marks and all
    assert [h.id for h in search(store, parse_query("بحر"))] == [other.article_id]


def test_phrases_and_boolean_queries(seeds_db):
    haftar, dbeibah = ids(seeds_db, "حفتر"), ids(seeds_db, "الدبيبة")
    saddam = ids(seeds_db, "صدام")
    assert dbeibah and saddam and dbeibah != haftar
    assert ids(seeds_db, "حفتر الدبيبة") == ids(seeds_db, "حفتر AND الدبيبة") == haftar & dbeibah
    assert ids(seeds_db, "صدام OR الدبيبة") == saddam | dbeibah
    assert ids(seeds_db, "حفتر NOT صدام") == haftar - saddam
    assert ids(seeds_db, "(صدام OR الدبيبة) NOT سرت") == (saddam | dbeibah) - ids(seeds_db, "سرت")
    # a phrase needs its words in order, side by side; the words alone are not enough
    khalifa = ids(seeds_db, '"خليفة حفتر"')
    assert khalifa and khalifa <= haftar
    assert ids(seeds_db, '"حفتر خليفة"') < ids(seeds_db, "حفتر خليفة")
    assert ids(seeds_db, "«خليفة حفتر»") == khalifa


def test_results_are_ranked_and_highlighted_in_the_original_text(seeds_db):
    hits = found(seeds_db, "أفريكوم")
    assert [h["rank"] for h in hits] == sorted(h["rank"] for h in hits)
    for hit in hits:
        for part in ("title", "snippet"):
            for start, end in hit[f"{part}_highlights"]:
                assert "فريكوم" in hit[part][start:end]
        assert hit["snippet_highlights"] or hit["title_highlights"]
    assert any(h["title_highlights"] for h in hits) and len(hits) > 1


def test_a_word_in_the_title_ranks_before_the_same_word_in_the_text(store):
    body = "نص طويل عن الاقتصاد والنفط والموانئ في البلاد "
    in_text = save_article(store, {"url": "https://o.example/t", "title": "أخبار اليوم",
                                   "text": body + "سرت " + body}, [])
    in_title = save_article(store, {"url": "https://o.example/h", "title": "أخبار سرت",
                                    "text": body + body}, [])
    assert [h.id for h in search(store, parse_query("سرت"))] == [in_title.article_id,
                                                                 in_text.article_id]


def test_a_phrase_does_not_run_from_the_title_into_the_text(store):
    saved = save_article(store, {"url": "https://o.example/p", "title": "لقاء مع خليفة",
                                 "text": "حفتر في بنغازي"}, [])
    assert search(store, parse_query('"خليفة حفتر"')) == []
    assert [h.id for h in search(store, parse_query("خليفة حفتر"))] == [saved.article_id]
    assert [h.id for h in search(store, parse_query('"مع خليفة"'))] == [saved.article_id]


def test_filters_by_source_topic_and_date(seeds_db):
    assert ids(seeds_db, "حفتر", "--topic", "sirte") == ids(seeds_db, "سرت", "--topic", "sirte")
    assert len(ids(seeds_db, "حفتر", "--topic", "sirte")) == 1
    assert ids(seeds_db, "حفتر", "--source", "nowhere") == set()
    assert ids(seeds_db, "حفتر", "--since", "2999-01-01") == set()
    assert ids(seeds_db, "حفتر", "--until", "2000-01-01") == set()
    fetched = query(seeds_db, "SELECT substr(MIN(fetched_at), 1, 10) FROM articles")[0][0]
    assert len(ids(seeds_db, "حفتر", "--until", fetched)) == HAFTAR_SEEDS   # the day included


@pytest.mark.parametrize("hostile", [
    '"', 'حفتر "خليفة', "(", "حفتر)", "NOT", "NOT حفتر", "حفتر OR", "AND OR NOT",
    "*", "حفتر*^", "title:حفتر OR", '""', "NEAR(حفتر", "x" * 1001, " ".join(["كلمة"] * 30),
    "'; DROP TABLE articles; --", "\x00\x1b[31m",
])
def test_hostile_queries_get_a_one_line_error_or_a_safe_search(seeds_db, hostile):
    result = CliRunner().invoke(cli, ["search", hostile, "--db", str(seeds_db)])
    assert "Traceback" not in result.output
    assert not any(word in result.output.lower() for word in ("sqlite", "psycopg", "tsquery"))
    assert result.exception is None or isinstance(result.exception, SystemExit)
    if result.exit_code:
        assert result.output.startswith("Error: cannot read the query: ")
        assert len(result.output.splitlines()) == 1
    assert query(seeds_db, "SELECT COUNT(*) FROM articles")[0][0] == 10


def test_fts_syntax_typed_by_the_analyst_is_read_as_words():
    with pytest.raises(QueryError):
        parse_query("NOT حفتر")
    assert parse_query("title:حفتر") == parse_query("title حفتر")


def test_the_index_follows_refetches_and_pruning(store):
    first = save_article(store, {"url": "https://o.example/1", "title": "عنوان",
                                 "text": "خبر عن سرت", "fetched_at": "2026-01-01T00:00:00"}, [])
    assert [h.id for h in search(store, parse_query("سرت"))] == [first.article_id]
    save_article(store, {"url": "https://o.example/1", "title": "عنوان",
                         "text": "خبر عن طرابلس", "fetched_at": "2026-01-01T00:00:00"}, [],
                 refetch=True)
    assert search(store, parse_query("سرت")) == []
    assert [h.id for h in search(store, parse_query("طرابلس"))] == [first.article_id]
    assert prune_unmatched_text(store, datetime(2026, 3, 1, tzinfo=timezone.utc), 30) == 1
    assert search(store, parse_query("طرابلس")) == []
    assert [h.id for h in search(store, parse_query("عنوان"))] == [first.article_id]
    if store.dialect == "sqlite":
        with closing(sqlite3.connect(store.path)) as conn:   # FTS5's own check
            conn.execute("INSERT INTO articles_fts (articles_fts, rank) "
                         "VALUES ('integrity-check', 0)")
    else:   # one vector, the title's alone
        assert store.rows("SELECT article_id, CAST(document AS text) AS document "
                          "FROM articles_fts") == [{"article_id": first.article_id,
                                                    "document": document("عنوان", None)}]


def test_rebuild_indexes_every_article_again(store):
    saved = [save_article(store, {"url": f"https://o.example/{n}", "title": "عنوان",
                                  "text": f"خبر {n} عن سرت"}, []).article_id for n in range(3)]
    with store.transaction() as conn:
        assert rebuild(conn) == 3
    assert [h.id for h in search(store, parse_query("سرت"))] == saved


def test_an_old_database_gets_its_articles_indexed_by_the_migration(tmp_path):
    db = tmp_path / "old.db"
    with closing(sqlite3.connect(db)) as conn:
        conn.executescript((Path(__file__).parent / "fixtures" /
                            "schema_unversioned.sql").read_text(encoding="utf-8"))
        haftar = {r[0] for r in conn.execute(
            "SELECT id FROM articles WHERE title LIKE '%حفتر%' OR text LIKE '%حفتر%'")}
    assert haftar
    assert {h.id for h in search(open_store(db), parse_query("حفتر"), limit=50)} == haftar


def test_the_datasette_plugin_rewrites_only_the_search_parameter():
    from urllib.parse import parse_qs

    from rasd.datasette_plugins.rasd_search import rewrite

    assert rewrite("_size=5&_facet=source") == "_size=5&_facet=source"
    params = parse_qs(rewrite("_search=%D8%A8%D8%AD%D9%81%D8%AA%D8%B1&_searchmode=escaped"
                              "&_size=5"))
    assert params["_searchmode"] == ["raw"] and params["_size"] == ["5"]
    assert params["_search"] == [to_fts(parse_query("بحفتر"))]
    unreadable = parse_qs(rewrite("_search=NOT+%D8%AD%D9%8E%D9%81%D8%AA%D8%B1"))
    assert unreadable == {"_search": ["not حفتر"]}   # normalized: Datasette escapes the words
