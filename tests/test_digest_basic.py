"""The first digest: a day's matches, from a real database built by replaying the seeds."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from digest import write_digest
from tests.conftest import SEEDS, query, run_rasd


def test_digest_of_the_replay_day_lists_every_seed_and_an_empty_day_says_so(tmp_path, db):
    run_rasd("replay", str(SEEDS), "--db", str(db))
    fetched, = query(db, "SELECT min(fetched_at) FROM articles")[0]
    day = datetime.fromisoformat(fetched).astimezone(timezone(timedelta(hours=2))).date()

    path = write_digest(db, day, out_dir=tmp_path, fmt="json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert {t: len(a) for t, a in data["topics"].items()} == {"africom": 5, "haftar": 5}

    empty = write_digest(db, day - timedelta(days=1), out_dir=tmp_path, fmt="md")
    assert "No watchlist matches" in empty.read_text(encoding="utf-8")
    assert query(db, "SELECT day, format, articles FROM digests ORDER BY day") == [
        ((day - timedelta(days=1)).isoformat(), "md", 0), (day.isoformat(), "json", 10)]


def test_digest_command_writes_the_requested_day(tmp_path, db):
    run_rasd("replay", str(SEEDS), "--db", str(db))
    fetched, = query(db, "SELECT min(fetched_at) FROM articles")[0]
    out = tmp_path / "d.md"
    result = run_rasd("digest", "--date", fetched[:10], "--out", str(out),
                      "--db", str(db), "--tz", "UTC")
    assert result.stdout.strip() == str(out)
    assert out.read_text(encoding="utf-8").count("file://") == 0  # replayed files: no links
    assert "## haftar (5)" in out.read_text(encoding="utf-8")
    bad = run_rasd("digest", "--tz", "Mars/Olympus", "--db", str(db), check=False)
    assert bad.returncode == 2 and "unknown time zone" in bad.stderr
