"""`rasd migrate` copies every table of the schema: a table added by a new migration and
forgotten in `rasd.store.copy.TABLES` would be silently left behind by a move to PostgreSQL."""
from rasd.store import copy
from rasd.store.database import open_store

# Derived from other tables, rebuilt on the target rather than copied.
DERIVED = {"articles_fts"}


def test_every_table_of_a_new_database_is_copied(tmp_path):
    store = open_store(tmp_path / "rasd.db")
    tables = {row["name"] for row in store.rows(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
    tables = {t for t in tables if not any(t.startswith(d) for d in DERIVED)}   # FTS5 shadows
    assert tables == set(copy.TABLES)
