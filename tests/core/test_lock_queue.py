"""A step behind a long reader: clients wait at most about lock_timeout at a time, and the step
still completes once the reader is gone (applied as psql would: statement by statement)."""

import threading
import time
from pathlib import Path

import pglast
import psycopg

from migsmith.tools.planning.planner import build_plan
from migsmith.tools.schema import load_schema
from migsmith.tools.spec.changespec import parse_spec

ROOT = Path(__file__).resolve().parents[2]


def test_long_reader_does_not_queue_clients_behind_the_migration(pg_url):
    with psycopg.connect(pg_url, autocommit=True) as c:
        for stmt in pglast.split((ROOT / "examples" / "schema.sql").read_text()):
            c.execute(stmt)
        c.execute("insert into orgs(name) values ('o'); insert into users(org_id, email) "
                  "values (1, 'a'); insert into posts(user_id, title) select 1, 't' "
                  "from generate_series(1, 100)")
    plan = build_plan(parse_spec({"operations": [{"op": "rename_column", "table": "posts",
                                                  "column": "created", "new_name": "created_at"}],
                                  "options": {"lock_timeout_ms": 200}}),
                      load_schema(str(ROOT / "examples" / "schema.sql")))
    step = plan.steps[0]
    assert step.transactional and "LOCK TABLE" in step.up_sql

    reader = psycopg.connect(pg_url)
    reader.execute("select count(*) from posts")  # holds ACCESS SHARE until it ends
    done = {}

    def migrate():
        with psycopg.connect(pg_url, autocommit=True) as conn:
            started = time.monotonic()
            for stmt in pglast.split(step.up_sql):
                conn.execute(stmt)
            done["seconds"] = time.monotonic() - started

    worker = threading.Thread(target=migrate)
    worker.start()
    worst = 0.0
    with psycopg.connect(pg_url, autocommit=True) as client:
        deadline = time.monotonic() + 2.5
        while time.monotonic() < deadline:
            t = time.monotonic()
            client.execute("select title from posts where id = 1").fetchone()
            worst = max(worst, time.monotonic() - t)
            time.sleep(0.02)
        reader.commit()  # the long reader goes away
        reader.close()
        worker.join(timeout=30)
        assert not worker.is_alive()
    assert "seconds" in done and done["seconds"] >= 2.0  # it waited for the reader...
    # ...alone: behind an unguarded ALTER a client waits for the whole 2.5 s the reader lives;
    # with the plan's lock loop at most about lock_timeout (200 ms) per attempt. The bound is
    # loose so a busy machine cannot fail it, yet far below what the broken behaviour gives.
    assert worst < 1.5, f"a client waited {worst:.2f} s behind the migration"
    with psycopg.connect(pg_url) as c:
        assert c.execute("select count(*) from information_schema.columns where "
                         "table_name = 'posts' and column_name = 'created_at'").fetchone()[0] == 1
