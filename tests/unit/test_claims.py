"""URL claims (rasd/store/claims.py): a URL is downloaded by one live crawl at a time."""
from __future__ import annotations

import json
import random
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from crawler.seen import SeenUrls
from rasd import clock
from rasd.store.claims import claim_urls, claims_held, release_run, release_urls
from rasd.store.database import open_store
from tests.conftest import REPO

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
URL = "https://o.example/news/1"


def claim(store, url: str, source: str, run_id: int, at: datetime = NOW,
          lease: timedelta = timedelta(hours=2)) -> bool:
    return url in claim_urls(store, [url], source, run_id, clock.timestamp(at),
                             clock.timestamp(at - lease))


def holder(store, url: str):
    return store.row("SELECT source, run_id FROM url_claims WHERE url = ?", (url,))


def test_a_live_claim_of_another_outlet_keeps_the_url(store_target):
    store = open_store(store_target)
    assert claim(store, URL, "a", 1)
    assert not claim(store, URL, "b", 2, NOW + timedelta(minutes=30))
    assert holder(store, URL) == {"source": "a", "run_id": 1}
    assert claim(store, URL, "a", 1)   # the holder itself, again


def test_a_claim_of_the_same_outlet_by_another_crawl_is_taken_over(store_target):
    """One outlet is crawled by one worker at a time: the old claim's crawl is dead."""
    store = open_store(store_target)
    assert claim(store, URL, "a", 1)
    assert claim(store, URL, "a", 7, NOW + timedelta(minutes=1))
    assert holder(store, URL) == {"source": "a", "run_id": 7}


def test_a_claim_older_than_the_lease_is_taken_over(store_target):
    store = open_store(store_target)
    assert claim(store, URL, "a", 1)
    assert not claim(store, URL, "b", 2, NOW + timedelta(hours=2))   # exactly the lease: live
    assert claim(store, URL, "b", 2, NOW + timedelta(hours=2, seconds=1))
    assert holder(store, URL) == {"source": "b", "run_id": 2}


def test_claims_are_given_back_by_url_and_by_crawl(store_target):
    store = open_store(store_target)
    for number in range(3):
        assert claim(store, f"{URL}{number}", "a", 1)
    assert claim(store, f"{URL}x", "b", 2)
    with store.transaction():
        release_urls(store, [f"{URL}0", None])
    assert claims_held(store, 1) == 2
    assert release_run(store, 1) == 2
    assert claims_held(store) == 1 and claims_held(store, 2) == 1


def test_seen_urls_claims_with_the_configured_lease(store_target):
    store = open_store(store_target)
    with clock.use_clock(NOW):
        assert SeenUrls(store, claim_lease_hours=1).claim([URL, URL + "2"], "a", 1) == {
            URL, URL + "2"}
    with clock.use_clock(NOW + timedelta(minutes=59)):
        assert SeenUrls(store, claim_lease_hours=1).claim([URL, URL + "3"], "b", 2) == {
            URL + "3"}
    with clock.use_clock(NOW + timedelta(minutes=61)):
        assert SeenUrls(store, claim_lease_hours=1).claim([URL], "b", 2) == {URL}


CLAIMER = """
import json, sys
from rasd.store.claims import claim_urls
from rasd.store.database import open_store
target, source, run_id, urls = sys.argv[1], sys.argv[2], int(sys.argv[3]), json.loads(sys.argv[4])
store = open_store(target)
print("ready", flush=True)
sys.stdin.readline()   # start together
won = [u for u in urls if claim_urls(store, [u], source, run_id, "2026-11-20T09:00:00+00:00",
                                     "2026-11-20T07:00:00+00:00")]
print(json.dumps(won))
"""


def claim_race(target: str, urls: list[str]) -> tuple[set[str], set[str]]:
    """Two processes (two connections) claim the same URLs for two outlets at once, in
    different orders; the URLs each won."""
    orders = [urls, list(reversed(urls))]
    random.Random(16).shuffle(orders[1])
    children = [subprocess.Popen([sys.executable, "-c", CLAIMER, target, source, str(run_id),
                                  json.dumps(order)], cwd=REPO, text=True,
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE)
                for source, run_id, order in (("a", 1, orders[0]), ("b", 2, orders[1]))]
    for child in children:
        assert child.stdout.readline() == "ready\n"
    for child in children:
        child.stdin.write("go\n")
        child.stdin.flush()
    won = [set(json.loads(child.communicate()[0])) for child in children]
    assert all(child.returncode == 0 for child in children)
    return won[0], won[1]


def test_two_connections_claiming_the_same_urls_win_each_url_once(store_target):
    urls = [f"https://o.example/news/{n}" for n in range(400)]
    db = store_target
    open_store(db)   # migrated before the race
    first, second = claim_race(str(db), urls)
    assert first | second == set(urls)
    assert not first & second
    store = open_store(db)
    assert claims_held(store, 1) == len(first) and claims_held(store, 2) == len(second)
