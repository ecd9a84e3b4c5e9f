"""Expand/contract on a real PostgreSQL: old and new code both keep working at every step."""

from pathlib import Path

import pglast
import psycopg
import pytest

from migsmith.tools.planning.planner import build_plan
from migsmith.tools.schema import load_schema
from migsmith.tools.spec.changespec import parse_spec

ROOT = Path(__file__).resolve().parents[2]


def run(conn, sql):
    for stmt in pglast.split(sql):
        conn.execute(stmt)


@pytest.fixture()
def db(pg_url):
    with psycopg.connect(pg_url, autocommit=True) as conn:
        run(conn, (ROOT / "examples" / "schema.sql").read_text())
        conn.execute("insert into orgs(name) values ('o');"
                     "insert into users(org_id, email) select 1, 'u' || g from generate_series(1, 20) g;"
                     "insert into posts(user_id, title, created) select 1 + g % 20, 't' || g, "
                     "timestamp '2020-01-01' + g * interval '1 day' from generate_series(1, 300) g")
        yield conn


def plan(op):
    return build_plan(parse_spec({"operations": [op]}), load_schema(str(ROOT / "examples/schema.sql")))


def test_rename_keeps_old_and_new_code_working(db):
    p = plan({"op": "rename_column", "table": "posts", "column": "created", "new_name": "created_at"})
    contract = [s for s in p.steps if s.phase == "contract"]
    for step in p.steps:
        if step in contract:
            break
        run(db, step.up_sql)
        # old code: knows only `created`
        db.execute("insert into posts(user_id, title, created) values (1, 'old', '2001-02-03')")
        # new code: knows only `created_at`
        db.execute("insert into posts(user_id, title, created_at) values (1, 'new', '2004-05-06')")
        db.execute("update posts set created = '1999-01-01' where title = 't1'")
        assert db.execute("select count(*) from posts where created_at is distinct from created "
                          "and title in ('old', 'new', 't1')").fetchone()[0] == 0, step.title
        db.execute("delete from posts where title in ('old', 'new')")
    # once the backfill ran, every row agrees
    assert db.execute("select count(*) from posts where created_at is distinct from created"
                      ).fetchone()[0] == 0
    assert db.execute("select created_at from posts where title = 't1'").fetchone()[0].year == 1999
    for step in contract:
        run(db, step.up_sql)
    # after the contract the default moved over: new code can rely on it
    db.execute("insert into posts(user_id, title) values (1, 'defaulted')")
    assert db.execute("select created_at is not null from posts where title = 'defaulted'"
                      ).fetchone()[0]
    for step in reversed(p.steps):
        run(db, step.down_sql)
    assert db.execute("select count(*) from posts where created is null").fetchone()[0] == 0


def test_int_to_bigint_swap_keeps_values(db):
    db.execute("update posts set views = id * 7")
    p = plan({"op": "alter_column_type", "table": "posts", "column": "views", "new_type": "bigint"})
    for step in p.steps:
        run(db, step.up_sql)
        db.execute("insert into posts(user_id, title) values (1, 'during')")  # default 0 flows
        db.execute("update posts set views = views + 1 where title = 't2'")
    row = db.execute("select format_type(atttypid, atttypmod) from pg_attribute "
                     "where attrelid = 'posts'::regclass and attname = 'views'").fetchone()
    assert row[0] == "bigint"
    assert db.execute("select count(*) from posts where title like 't%' and views <> id * 7 "
                      "and title <> 't2'").fetchone()[0] == 0
    assert db.execute("select views from posts where title = 't2'").fetchone()[0] == 2 * 7 + len(p.steps)
    assert db.execute("select count(*) from posts where title = 'during' and views = 0"
                      ).fetchone()[0] == len(p.steps)
