"""All SQL lives in rasd/store: no other module writes a statement or touches a table itself.

Read from the source with Python's tokenizer: SQL in string literals, `.execute(`-like calls,
`db["table"]`-like subscripts, and imports of sqlite-utils. tests/ and benchmarks/ build their
own fixtures and are not part of the application.
"""
from __future__ import annotations

import io
import os
import re
import tokenize
from pathlib import Path

import pytest

from tests.conftest import REPO

OUTSIDE = ("tests", "benchmarks", "rasd/store")
SQL = re.compile(r"\b(SELECT\b.*\bFROM|INSERT (OR \w+ )?INTO|UPDATE \w+ SET|DELETE FROM"
                 r"|CREATE (UNIQUE )?(TABLE|INDEX|TRIGGER|VIEW)|ALTER TABLE|DROP (TABLE|INDEX)"
                 r"|PRAGMA \w+)\b", re.DOTALL)
CALLS = {"execute", "executemany", "executescript", "query"}
DATABASE_NAME = re.compile(r"(db|database|store|conn)$")
STRING_TYPES = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}


def sql_found(source: str) -> list[str]:
    """Each place in `source` that runs or spells SQL, as 'line N: what'."""
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(source).readline)
              if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT)]
    found = []
    for before, token, after in zip([None, *tokens], tokens, [*tokens[1:], None]):
        where = f"line {token.start[0]}"
        if token.type in STRING_TYPES and SQL.search(token.string):
            found.append(f"{where}: SQL in a string: {SQL.search(token.string).group(0)!r}")
        elif (token.type == tokenize.NAME and token.string in CALLS and before is not None
              and before.string == "." and after is not None and after.string == "("):
            found.append(f"{where}: .{token.string}(")
        elif (token.type == tokenize.NAME and DATABASE_NAME.search(token.string)
              and after is not None and after.string == "["):
            following = tokens[tokens.index(after) + 1]
            if following.type == tokenize.STRING:
                found.append(f"{where}: {token.string}[{following.string}]")
        elif token.type == tokenize.NAME and token.string == "sqlite_utils":
            found.append(f"{where}: sqlite_utils")
    return found


def application_modules() -> list[Path]:
    """Every Python file of the project but those OUTSIDE (and virtualenvs, caches, builds)."""
    modules = []
    for folder, subfolders, files in os.walk(REPO):
        relative = Path(folder).relative_to(REPO).as_posix()
        subfolders[:] = [d for d in subfolders
                         if not (d.startswith(".") or d in ("build", "__pycache__")
                                 or d.endswith(".egg-info")
                                 or f"{relative}/{d}".removeprefix("./") in OUTSIDE)]
        modules += [Path(folder) / f for f in files if f.endswith(".py")]
    return sorted(modules)


@pytest.mark.parametrize("source, expected", [
    ('rows = db.execute("SELECT 1")\n', ["line 1: .execute("]),
    ('x = f"SELECT {cols} FROM t"\n', ["line 1: SQL in a string: 'SELECT {cols} FROM'"]),
    ('c.execute(sql)\n', ["line 1: .execute("]),
    ('rows = database.query(q)\n', ["line 1: .query("]),
    ('s = ("DELETE FROM m "\n     "WHERE a = ?")\n', ["line 1: SQL in a string: 'DELETE FROM'"]),
    ('db["crawl_runs"].insert(row)\n', ['line 1: db["crawl_runs"]']),
    ('import sqlite_utils\n', ["line 1: sqlite_utils"]),
    ('n = self.store_count["x"]\n', []),
    ('"""Select the articles from the feed, then update the set."""\n', []),
    ('def query_string(url): return url.query\n', []),
])
def test_the_detector_finds_sql_and_only_sql(source, expected):
    assert sql_found(source) == expected


def test_no_sql_outside_rasd_store():
    modules = application_modules()
    assert REPO / "pipelines" / "store.py" in modules and REPO / "scheduler.py" in modules
    assert not any("rasd/store" in str(m.relative_to(REPO)) for m in modules)
    offenders = {str(m.relative_to(REPO)): found for m in modules
                 if (found := sql_found(m.read_text(encoding="utf-8")))}
    assert offenders == {}
