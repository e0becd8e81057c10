"""The dedup stage's story window, kept up to date through a crawl, is the one rebuilt from
the store (and the articles not stored yet), and it groups as the rule does."""
from __future__ import annotations

import random
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from crawler.items import ArticleItem
from rasd.store.story_members import titles_and_texts, window_members
from rasd.text.stories import StoryWindow, weighted_terms
from tests.unit.test_story_quality import _assert_same_state, _benchmark
from tests.unit.test_store_atomic_flush import feed, stages


def items(articles: list[dict]) -> list[ArticleItem]:
    return [ArticleItem(url=f"https://news.example.ly/{a['id']}", source="seeds",
                        title=a["title"], text=a["text"].strip(), lang="ar",
                        published_at=a["published"], fetched_at=a["published"])
            for a in articles]


def rebuilt(dedup) -> StoryWindow:
    """The window of the dedup stage's current span, placed afresh from the store and the
    decisions not stored yet."""
    store = dedup.index.store
    window = StoryWindow()
    rows = window_members(store, *dedup.bounds)
    texts = titles_and_texts(store, [article_id for article_id, *_ in rows])
    for article_id, story_id, time in rows:
        window.add(article_id, dedup._key(story_id), time, weighted_terms(*texts[article_id]))
    for url, decision in dedup.pending.items():
        if decision.story_key is not None and url in dedup.window:
            window.add(url, decision.story_key, decision.story_time, decision.terms)
    return window


def stories_by_article(db: Path, crawled: list[ArticleItem]) -> list[int]:
    with closing(sqlite3.connect(db)) as conn:
        ids = dict(conn.execute("SELECT url, story_id FROM articles").fetchall())
    return [ids[item["url"]] for item in crawled]


@pytest.mark.parametrize("batch", [1, 4])
def test_the_window_through_a_crawl_equals_a_rebuild_and_groups_as_the_rule(tmp_path, batch):
    quality = _benchmark()
    articles = quality.load()   # two weeks in publication order: the 72 h window moves on
    crawled = items(articles)
    copy = ArticleItem(crawled[5], url="https://other.example.ly/copy")   # a duplicate
    db = tmp_path / "rasd.db"
    _, (dedup, keywords, store) = stages(db, batch)
    left = 0
    for item in [*crawled[:6], copy, *crawled[6:]]:
        feed((dedup, keywords, store), [item])
        _assert_same_state(dedup.window, rebuilt(dedup))
        left = max(left, len(articles) - len(dedup.window))
    store.flush()
    _assert_same_state(dedup.window, rebuilt(dedup))
    assert left >= 20   # articles did leave the window
    labels = [a["event"] for a in articles]
    assert quality.pairwise(labels, stories_by_article(db, crawled)) == (1.0, 1.0)
    assert stories_by_article(db, [copy]) == stories_by_article(db, [crawled[5]])


def test_articles_out_of_time_order_keep_the_window_equal_to_a_rebuild(tmp_path):
    crawled = items(_benchmark().load())
    random.Random(13).shuffle(crawled)   # the window jumps back and forth
    _, (dedup, keywords, store) = stages(tmp_path / "rasd.db", 3)
    for item in crawled:
        feed((dedup, keywords, store), [item])
        _assert_same_state(dedup.window, rebuilt(dedup))
    store.flush()
    _assert_same_state(dedup.window, rebuilt(dedup))
