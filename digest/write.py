"""Writing a day's digest to a file and recording it in the `digests` table."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from crawler.database import open_db
from crawler.dates import utc_now
from digest.content import load_digest
from digest.period import DEFAULT_TIMEZONE, Period
from digest.render import RENDERERS


def write_digest(db_path: str | Path, day: date, out_dir: str | Path = "digests",
                 fmt: str = "md", tz: str = DEFAULT_TIMEZONE,
                 out_file: str | Path | None = None) -> Path:
    """Render the digest of local `day` into `out_dir/YYYY-MM-DD.<fmt>` (or `out_file`).

    Regenerating a day replaces its file and its `digests` row.
    """
    db = open_db(db_path)
    digest = load_digest(db, Period.day(day, tz))
    path = Path(out_file) if out_file else Path(out_dir) / f"{day.isoformat()}.{fmt}"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(RENDERERS[fmt](digest), encoding="utf-8")
    tmp.replace(path)
    db["digests"].upsert({"day": day.isoformat(), "format": fmt, "path": str(path),
                          "written_at": utc_now(), "articles": digest.match_count},
                         pk=("day", "format"))
    db.close()
    return path
