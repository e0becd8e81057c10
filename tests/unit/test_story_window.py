"""StoryWindow: the story candidates a new article is compared with, kept in memory."""
from __future__ import annotations

import numpy as np

from rasd.store.articles import save_article
from rasd.store.database import open_store
from rasd.store.dedup_index import DedupIndex, StoryWindow
from rasd.text.similarity import DUP_PERMUTATIONS, STORY_PERMUTATIONS, Signature

DAY = "2026-11-20T12:00:00+00:00"


def stored_article(index: DedupIndex, n: int, story_id: int, placed: str) -> int:
    article_id = save_article(index.store, {"url": f"https://x.test/{n}", "source": "x",
                                            "title": "t", "text": "x", "fetched_at": placed,
                                            "fingerprint": f"{n:064x}"}, []).article_id
    signature = Signature(10, np.full(DUP_PERMUTATIONS, n, dtype=np.uint32),
                          np.full(STORY_PERMUTATIONS, n, dtype=np.uint32))
    index.link(article_id, None, story_id)
    index.add(article_id, signature, placed)
    return article_id


def test_a_big_story_keeps_its_latest_members_and_the_window_bounds_time(tmp_path):
    index = DedupIndex(open_store(tmp_path / "rasd.db"))
    with index.store.transaction():
        big, small = index.new_story(), index.new_story()
        big_ids = [stored_article(index, n, big, DAY) for n in range(10)]
        small_id = stored_article(index, 10, small, DAY)
        stored_article(index, 11, small, "2026-11-01T12:00:00+00:00")   # outside 72 hours
    stories = StoryWindow(index, per_story=3)
    refs, matrix = stories.candidates(DAY, 72)
    assert sorted(refs) == sorted(big_ids[-3:] + [small_id])
    assert [int(row[0]) for row in matrix] == [index_of - 1 for index_of in refs]

    # a new member of the big story replaces its oldest; a new story adds a row
    stories.add("https://x.test/new", big, DAY, np.full(STORY_PERMUTATIONS, 99, np.uint32))
    stories.add("https://x.test/other", None, DAY, np.full(STORY_PERMUTATIONS, 98, np.uint32))
    refs, _ = stories.candidates(DAY, 72)
    assert sorted(map(str, refs)) == sorted(map(str, big_ids[-2:] + [small_id]
                                                + ["https://x.test/new",
                                                   "https://x.test/other"]))
    # an article placed earlier widens the window: the older article is loaded
    refs, _ = stories.candidates("2026-11-02T12:00:00+00:00", 72)
    assert len(refs) == 1
