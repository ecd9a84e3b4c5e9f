"""``--schema app.db``: a SQLite database file brings its rows into the shadow (copied before
its triggers exist, so none fires twice; generated columns left to SQLite), virtual tables
start empty and say so, and a file over the size limit gets sample rows, saying so."""

from __future__ import annotations

import sqlite3

from migsmith.tools.proving.shadow import sqlite as shadow_sqlite
from migsmith.tools.proving.verify import verify_plan_dir

from verify_helpers import make_plan_dir

SCHEMA = """
CREATE TABLE item (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL,
                   price REAL NOT NULL DEFAULT 0, label TEXT GENERATED ALWAYS AS (upper(name)));
CREATE TABLE audit (id INTEGER PRIMARY KEY, item_id INTEGER, what TEXT);
CREATE TRIGGER item_audit AFTER INSERT ON item BEGIN
    INSERT INTO audit (item_id, what) VALUES (NEW.id, 'insert');
END;
CREATE VIRTUAL TABLE item_search USING fts5(name);
CREATE INDEX item_name ON item (name);
"""


def make_db(path, items: int = 7):
    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA)
    conn.executemany("INSERT INTO item (name, price) VALUES (?, ?)",
                     [(f"thing {i}", i * 1.5) for i in range(items)])
    conn.execute("INSERT INTO item_search (name) SELECT name FROM item")
    conn.commit()
    conn.close()


def test_a_database_files_rows_are_the_shadows_rows(tmp_path):
    db = tmp_path / "app.db"
    make_db(db)
    plan = make_plan_dir({"operations": [{"op": "add_column", "table": "item", "column": {
        "name": "stock", "type": "INTEGER", "nullable": False, "default": "3"}}],
        "options": {"dialect": "sqlite"}}, tmp_path / "plan", db)
    report = verify_plan_dir(plan, str(db), rows=50, write=False)
    assert report.ok, report.summary
    notes = report.plan.notes
    assert any(n.startswith("the shadow database starts from the 14 rows of") for n in notes)
    assert "7 rows of item hold stock = 3" in notes  # the file's 7 rows, not 50 sample rows
    assert any("audit (7)" in n and "item (7)" in n for n in notes), notes  # no trigger ran
    assert any("item_search start empty" in n for n in notes), notes
    conn = sqlite3.connect(db)  # the user's file is only read
    assert conn.execute("SELECT count(*) FROM item").fetchone()[0] == 7
    assert [r[1] for r in conn.execute("PRAGMA table_info(item)")] == ["id", "name", "price"]


def test_a_file_over_the_limit_gets_sample_rows_and_says_so(tmp_path, monkeypatch):
    db = tmp_path / "big.db"
    make_db(db)
    monkeypatch.setattr(shadow_sqlite, "COPY_ROWS_BELOW", 1024)
    ddl, _, tables, notes = shadow_sqlite.sqlite_file_ddl(str(db))
    assert "INSERT INTO \"item\"" not in ddl and {"item", "audit", "item_search"} <= tables
    assert any("its rows are not copied into the shadow database" in n for n in notes)
