"""Each article once, each story once, nothing fetched twice: dedup against real crawls,
on a SQLite file and on a PostgreSQL database (`db` below): the duplicate index, stories and
seen URLs are store state."""
from __future__ import annotations

import html
from pathlib import Path

import pytest

from seeds import build_site
from tests.conftest import FAST, SEED_FILES, SEEDS, execute, query, run_rasd, write_registry

SEED = {p.stem[:3]: p for p in SEED_FILES}
SAME_EVENTS = ("000", "001", "003")   # distinct articles about the same AFRICOM visits


@pytest.fixture
def db(store_target):
    """The database of a test: each runs on both backends."""
    return store_target


def title_and_paragraphs(path: Path) -> tuple[str, list[str]]:
    title, _, text = path.read_text(encoding="utf-8").partition("\n")
    return title.strip(), [line.strip() for line in text.splitlines() if line.strip()]


def edited(paragraphs: list[str]) -> list[str]:
    """A few words changed, as a copy editor would."""
    words = "\n".join(paragraphs).split(" ")
    for i in range(7, len(words), max(8, len(words) // 5)):
        words[i] = "كذلك"
    return " ".join(words).split("\n")


def first_half(paragraphs: list[str]) -> list[str]:
    words = " ".join(paragraphs).split(" ")
    return [" ".join(words[:len(words) // 2])]


def other_outlet_page(title: str, paragraphs: list[str]) -> str:
    """The same article in another outlet's page furniture."""
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (
        '<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)} | وكالة أخرى</title></head><body>"
        '<header><a href="/">وكالة الأنباء الأخرى</a><ul><li>أخبار محلية</li>'
        "<li>اقتصاد وأسواق</li><li>رأي وتحليل</li></ul></header>"
        f"<main><article><h1>{html.escape(title)}</h1>{body}</article></main>"
        "<aside><h3>الأكثر قراءة</h3><ul><li>عنوان آخر لا علاقة له بالخبر</li></ul></aside>"
        "<footer>حقوق النشر محفوظة لوكالة الأنباء الأخرى</footer></body></html>")


def copies(folder: Path) -> dict[str, str]:
    """Republished variants of the seeds, file name -> the seed they copy."""
    folder.mkdir()
    variants = {
        "exact": lambda ps: ps,
        "edited": edited,
        "line_added": lambda ps: ps + ["وتابع المراسل أن الاجتماعات ستستأنف الأسبوع المقبل."],
        "paragraph_dropped": lambda ps: ps[:2] + ps[3:],
        "first_half": first_half,
    }
    made = {}
    for number, seed in SEED.items():
        title, paragraphs = title_and_paragraphs(seed)
        for kind, change in variants.items():
            name = f"copy_{kind}_{number}.txt"
            (folder / name).write_text(title + "\n" + "\n".join(change(paragraphs)),
                                       encoding="utf-8")
            made[name] = number
        name = f"republished_{number}.html"
        (folder / name).write_text(other_outlet_page(title, paragraphs), encoding="utf-8")
        made[name] = number
    return made


def test_copies_are_linked_to_their_originals_by_a_later_process(tmp_path, db):
    """Seeds first; copies in a new process, which sees the earlier index (a restart)."""
    run_rasd("replay", str(SEEDS), str(SEEDS / "negatives"), "--db", str(db))
    made = copies(tmp_path / "copies")
    result = run_rasd("replay", str(tmp_path / "copies"), "--db", str(db))
    assert f"articles: {len(made)} new" in result.stdout

    ids = {number: query(db, "SELECT id FROM articles WHERE url = ?", seed.as_uri())[0][0]
           for number, seed in SEED.items()}
    for name, number in made.items():
        url = (tmp_path / "copies" / name).as_uri()
        assert query(db, "SELECT duplicate_of FROM articles WHERE url = ?", url) == [
            (ids[number],)], name

    # the seeds are never linked to each other, nor to anything else
    originals = query(db, "SELECT count(*) FROM articles WHERE url LIKE '%/seeds/%'"
                          " AND duplicate_of IS NOT NULL")
    assert originals == [(0,)]
    # a duplicate is in its original's story
    assert query(db, "SELECT count(*) FROM articles a JOIN articles o ON o.id = a.duplicate_of"
                     " WHERE a.story_id IS DISTINCT FROM o.story_id") == [(0,)]


def test_stories_group_the_same_events_and_count_their_articles(tmp_path, db):
    run_rasd("replay", str(SEEDS), str(SEEDS / "negatives"), "--db", str(db))
    story = {number: query(db, "SELECT story_id FROM articles WHERE url = ?",
                           seed.as_uri())[0][0] for number, seed in SEED.items()}
    assert len({story[n] for n in SAME_EVENTS}) == 1
    negative_stories = {s for (s,) in query(
        db, "SELECT story_id FROM articles WHERE url LIKE '%/negatives/%'")}
    assert len(negative_stories) == 5 and story["000"] not in negative_stories

    (articles, outlets, title, first_seen, last_seen), = query(
        db, "SELECT articles, outlets, title, first_seen, last_seen FROM stories WHERE id = ?",
        story["000"])
    members = query(db, "SELECT count(*), min(fetched_at), max(fetched_at) FROM articles"
                        " WHERE story_id = ?", story["000"])
    assert (articles, first_seen, last_seen) == members[0] and articles >= 3
    assert outlets == 1  # every replayed file is from the `replay` source
    # the representative title is the story's first article's (files replay in any order)
    assert query(db, "SELECT title FROM articles WHERE story_id = ? ORDER BY id LIMIT 1",
                 story["000"]) == [(title,)]
    assert title in {title_and_paragraphs(p)[0] for p in SEED_FILES}


def rss(base_url: str, links: list[str]) -> bytes:
    items = "".join(f"<item><title>خبر</title><link>{html.escape(link)}</link>"
                    "<pubDate>Mon, 16 Nov 2026 08:00:00 GMT</pubDate></item>" for link in links)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>موقع</title><link>{base_url}/</link>{items}</channel></rss>").encode()


def test_tracking_variants_are_one_article_and_a_second_crawl_downloads_no_article(
        tmp_path, site, db):
    from rasd.devsite.server import Reply

    site.etags = True
    seed_paths = [f"/news/2026/{p.stem}.html" for p in SEED_FILES]
    variants = [site.url(p + "?utm_source=rss&utm_medium=feed&fbclid=x1#comments")
                for p in seed_paths]
    variants += [site.url(p + "/?gclid=abc") for p in seed_paths]
    title, paragraphs = title_and_paragraphs(SEED["002"])
    site.overrides["/other/republished-002.html"] = Reply(
        200, other_outlet_page(title, paragraphs).encode(), {"Content-Type": "text/html"})
    site.overrides["/rss.xml"] = Reply(
        200, rss(site.base_url, variants + [site.url("/other/republished-002.html")]),
        {"Content-Type": "application/rss+xml"})
    # The Atom feed and the sitemap list the other pages only, so the seeds are listed by the
    # RSS feed alone: the spelling kept is the feed's first, not that of whichever of the
    # three listings happened to answer first.
    others = [a for a in build_site.articles() if a.path not in seed_paths]
    for path, render in (("/atom.xml", build_site.render_atom),
                         ("/news-sitemap.xml", build_site.render_news_sitemap)):
        site.overrides[path] = Reply(
            200, render(others).replace(build_site.BASE, site.base_url).encode(),
            {"Content-Type": "application/xml"})
    registry = write_registry(tmp_path / "sources.toml", site.base_url)

    run_rasd("crawl", "--sources", str(registry), "--db", str(db), *FAST)
    for path, first_listed in zip(seed_paths, variants, strict=False):
        assert site.requests[path] == 1, path
        rows = query(db, "SELECT url, original_url FROM articles WHERE url LIKE ?", f"%{path}%")
        assert rows == [(site.url(path), first_listed)]
    # the republication is linked with the original, whichever was stored first
    (copy_id, copy_of), = query(db, "SELECT id, duplicate_of FROM articles WHERE url = ?",
                                site.url("/other/republished-002.html"))
    (seed_id, seed_of), = query(db, "SELECT id, duplicate_of FROM articles WHERE url = ?",
                                site.url(seed_paths[2]))
    assert (copy_of, seed_of) in ((seed_id, None), (None, copy_id))

    downloads = site.article_requests() + site.requests["/other/republished-002.html"]
    second = run_rasd("crawl", "--sources", str(registry), "--db", str(db), *FAST)
    assert "articles: 0 new" in second.stdout
    assert site.article_requests() + site.requests["/other/republished-002.html"] == downloads
    # unchanged feeds and sitemap answered 304 to a conditional GET
    assert set(site.not_modified) == {"/rss.xml", "/atom.xml", "/news-sitemap.xml"}


def test_conditional_get_can_be_turned_off_per_source(tmp_path, site):
    """SQLite only: about the requests sent (the validators' storage: test_store_backends)."""
    db = tmp_path / "rasd.db"
    site.etags = True
    registry = write_registry(tmp_path / "sources.toml", site.base_url, conditional_get="false")
    run_rasd("crawl", "--sources", str(registry), "--db", str(db), *FAST)
    run_rasd("crawl", "--sources", str(registry), "--db", str(db), *FAST)
    assert not site.not_modified
    assert site.requests["/rss.xml"] == 2


def test_refetch_window_updates_articles_of_outlets_that_edit_them(tmp_path, site, db):
    from rasd.devsite.server import Reply

    registry = write_registry(tmp_path / "sources.toml", site.base_url, refetch_hours="24")
    run_rasd("crawl", "--sources", str(registry), "--db", str(db), *FAST)
    downloads = site.article_requests()
    # within the window nothing is fetched again
    run_rasd("crawl", "--sources", str(registry), "--db", str(db), *FAST)
    assert site.article_requests() == downloads

    # two days later (the stored fetch times say so), the outlet has edited one article
    execute(db, "UPDATE articles SET fetched_at = '2026-01-01T00:00:00+00:00'")
    path = f"/news/2026/{SEED_FILES[1].stem}.html"
    title, paragraphs = title_and_paragraphs(SEED_FILES[1])
    added = "تحديث: أعلنت السفارة لاحقا عن موعد الاجتماع المقبل في بنغازي مع الوفد الزائر."
    site.overrides[path] = Reply(200, other_outlet_page(title, paragraphs + [added]).encode(),
                                 {"Content-Type": "text/html"})
    (article_id, story_id), = query(db, "SELECT id, story_id FROM articles WHERE url = ?",
                                    site.url(path))
    result = run_rasd("crawl", "--sources", str(registry), "--db", str(db), *FAST)

    assert "articles: 0 new" in result.stdout and "updated: 10 re-fetched" in result.stdout
    assert site.article_requests() == downloads + 10   # the dropped English page is not stale
    (new_id, new_story, text, fetched_at), = query(
        db, "SELECT id, story_id, text, fetched_at FROM articles WHERE url = ?", site.url(path))
    assert (new_id, new_story) == (article_id, story_id) and added in text
    assert fetched_at > "2026-01-01T00:00:00+00:00"
    assert query(db, "SELECT count(*) FROM matches WHERE article_id = ?", article_id) != [(0,)]
    assert query(db, "SELECT count(*) FROM article_signatures") == [(10,)]


def test_story_summaries_kept_in_place_equal_a_recount(tmp_path, db):
    """Each stored article updates its story's summary in place; it must equal a recount."""
    run_rasd("replay", str(SEEDS), str(SEEDS / "negatives"), "--db", str(db))
    copies(tmp_path / "copies")
    run_rasd("replay", str(tmp_path / "copies"), "--db", str(db))
    columns = "SELECT id, first_seen, last_seen, articles, outlets, title FROM stories"
    stored = query(db, f"{columns} ORDER BY id")
    recount = query(db, "SELECT s.id, min(a.fetched_at), max(a.fetched_at), count(a.id),"
                        " count(DISTINCT a.source), (SELECT title FROM articles t"
                        "  WHERE t.story_id = s.id ORDER BY t.duplicate_of IS NOT NULL, t.id"
                        "  LIMIT 1) FROM stories s LEFT JOIN articles a ON a.story_id = s.id"
                        " GROUP BY s.id ORDER BY s.id")
    assert stored == recount
    assert max(row[3] for row in stored) > 5   # stories of several articles were counted
