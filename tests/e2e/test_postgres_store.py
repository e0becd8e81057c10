"""The CLI on a PostgreSQL store: the seeds replayed into it, then read back by the commands
that list, summarize and digest, as they are on a SQLite file."""
from __future__ import annotations

from tests.conftest import SEED_FILES, query, run_rasd


def test_replay_then_matches_status_digest_and_doctor_on_postgresql(pg_url, tmp_path):
    replayed = run_rasd("replay", "seeds/", "--db", pg_url)
    assert f"articles: {len(SEED_FILES)} new" in replayed.stdout
    stored = query(pg_url, "SELECT count(*) FROM articles")[0][0]
    assert stored == len(SEED_FILES)

    matches = run_rasd("matches", "--db", pg_url, "--topic", "haftar").stdout
    assert "حفتر" in matches

    status = run_rasd("status", "--db", pg_url, "--json").stdout
    assert f'"articles": {stored}' in status
    assert f'"database": "{pg_url}"' in status

    out = tmp_path / "digest.md"
    run_rasd("digest", "--db", pg_url, "--format", "md", "--out", str(out),
             "--date", "2026-11-23")
    assert "حفتر" in out.read_text(encoding="utf-8")

    doctor = run_rasd("doctor", "--db", pg_url).stdout
    assert "connection (SELECT 1): ok" in doctor and f"articles: {stored} rows" in doctor


def test_a_password_never_appears_and_a_bad_url_is_one_line(postgres_cluster):
    url = f"postgresql://rasd:s3cret@127.0.0.1:{postgres_cluster.port}/missing"
    failed = run_rasd("matches", "--db", url, check=False)
    assert failed.returncode == 1
    assert "s3cret" not in failed.stderr and "createdb" in failed.stderr
    assert len(failed.stderr.strip().splitlines()) == 1
    bad = run_rasd("status", "--db", "postgresql://rasd@127.0.0.1:port/x", check=False)
    assert bad.returncode == 2 and "not a valid PostgreSQL URL" in bad.stderr
