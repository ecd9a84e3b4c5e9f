"""Apply a plan's steps on a real database and check the round trip: up, down, up.

After up + down the catalog must equal the start; re-applying up must give the same catalog as
the first up. Statements are sent one at a time, as the mysql client and sqlite3 shell do.
"""

from __future__ import annotations

from migsmith.tools.proving import catalog
from migsmith.tools.proving.catalog_mysql_sqlite import snapshot_mysql, snapshot_sqlite
from migsmith.tools.proving.shadow.mysql import run_script


def run_mysql(conn, sql: str) -> None:
    run_script(conn, sql)


def run_sqlite(conn, sql: str) -> None:
    conn.executescript(sql)


RUNNERS = {"mysql": (run_mysql, snapshot_mysql), "sqlite": (run_sqlite, snapshot_sqlite)}


def round_trip(conn, dialect: str, steps) -> dict:
    """Run ``steps`` up, down, up; return the snapshots; raise AssertionError on a difference."""
    run, snap = RUNNERS[dialect]
    s0 = snap(conn)
    for step in steps:
        run(conn, step.up_sql)
    s1 = snap(conn)
    for step in reversed(steps):
        run(conn, step.down_sql)
    s2 = snap(conn)
    back = catalog.diff(s0, s2, before_label="at the start", after_label="after up + down")
    assert not back, "up + down does not restore the schema:\n" + "\n".join(back)
    for step in steps:
        run(conn, step.up_sql)
    s3 = snap(conn)
    again = catalog.diff(s1, s3, before_label="after up", after_label="after up + down + up")
    assert not again, "re-applying up gives a different schema:\n" + "\n".join(again)
    return {"start": s0, "up": s1, "down": s2, "again": s3}


# Sample rows for the example schemas (examples/schema_mysql.sql and schema_sqlite.sql).
SEED = """
INSERT INTO orgs (name) VALUES ('acme'), ('globex');
INSERT INTO users (org_id, email, name, email_confirmed_at) VALUES
  (1, 'a@x.io', 'Ann', '2024-01-01 10:00:00'), (1, 'b@x.io', 'Bob', NULL),
  (2, 'c@x.io', NULL, '2024-02-01 10:00:00'), (NULL, 'd@x.io', 'Dee', NULL);
INSERT INTO posts (user_id, title, body, views, status, created) VALUES
  (1, 'one', 'x', 3, 'draft', '2024-03-01 09:00:00'), (2, 'two', NULL, 0, NULL, '2024-03-02 09:00:00'),
  (3, 'three', 'y', 7, 'live', '2024-03-03 09:00:00');
INSERT INTO comments (post_id, author_id, body) VALUES (1, 2, 'hi'), (2, NULL, 'yo');
"""
