"""MySQL/MariaDB plans on a real MariaDB: every statement is accepted with the ALGORITHM and
LOCK it names, and up, down, up leaves the schema as planned (catalog compared)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dialect_roundtrip import SEED, round_trip, run_mysql
from migsmith.tools.proving.catalog_mysql_sqlite import snapshot_mysql
from migsmith.tools.planning.planner import build_plan
from migsmith.tools.schema import load_schema
from migsmith.tools.spec.changespec import parse_spec

pytestmark = pytest.mark.mariadb

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "examples" / "schema_mysql.sql"
SPECS = ROOT / "evals" / "specs"


def _spec(ops, **options):
    return parse_spec({"operations": ops,
                       "options": {"dialect": "mysql", "target_version": "mariadb-10.11",
                                   **options}})


@pytest.fixture()
def seeded(mysql_conn):
    run_mysql(mysql_conn, SCHEMA.read_text())
    run_mysql(mysql_conn, SEED)
    return mysql_conn


def _plan(spec):
    return build_plan(spec, load_schema(str(SCHEMA), "mysql"))


def _rows(conn, sql):
    with conn.cursor() as cur:
        cur.execute(sql)
        return cur.fetchall()


@pytest.mark.parametrize("name", ["doc_rename_created_mysql", "doc_rename_created_downtime_mysql",
                                  "doc_add_email_verified_mysql", "doc_users_email_index_mysql"])
def test_seed_document_examples_round_trip(seeded, name):
    spec = parse_spec(json.loads((SPECS / f"{name}.json").read_text()))
    plan = _plan(spec)
    snaps = round_trip(seeded, "mysql", plan.steps)
    assert snaps["up"] != snaps["start"]
    if plan.alternative:
        # the maintenance-window plan must round-trip too (on the same database, from the start)
        for step in reversed(plan.steps):
            run_mysql(seeded, step.down_sql)
        round_trip(seeded, "mysql", plan.alternative.steps)


def test_online_rename_keeps_data_and_dual_writes(seeded):
    plan = _plan(parse_spec(json.loads((SPECS / "doc_rename_created_mysql.json").read_text())))
    expand = [s for s in plan.steps if s.phase != "contract"]
    for step in expand:
        run_mysql(seeded, step.up_sql)
    # old code writes the old name, new code the new one: both columns agree
    run_mysql(seeded, "INSERT INTO posts (user_id, title, created) VALUES (1, 'old', '2020-01-01 00:00:00');\n"
                      "INSERT INTO posts (user_id, title, created_at) VALUES (1, 'new', '2021-01-01 00:00:00');\n"
                      "UPDATE posts SET created = '2022-02-02 00:00:00' WHERE title = 'one';\n")
    rows = _rows(seeded, "SELECT title, created = created_at FROM posts ORDER BY id")
    assert all(same == 1 for _, same in rows), rows
    for step in plan.steps:
        if step.phase == "contract":
            run_mysql(seeded, step.up_sql)
    got = dict(_rows(seeded, "SELECT title, CAST(created_at AS CHAR) FROM posts"))
    assert got["one"] == "2022-02-02 00:00:00"
    assert got["old"] == "2020-01-01 00:00:00" and got["new"] == "2021-01-01 00:00:00"
    assert got["two"] == "2024-03-02 09:00:00"


def test_backfill_commits_per_batch_and_is_idempotent(seeded):
    spec = _spec([{"op": "add_column", "table": "users",
                   "column": {"name": "verified", "type": "boolean", "nullable": True}},
                  {"op": "backfill", "table": "users", "column": "verified", "expression": "true",
                   "where": "email_confirmed_at IS NOT NULL"}], batch_size=1, batch_pause_ms=0)
    plan = _plan(spec)
    for step in plan.steps:
        run_mysql(seeded, step.up_sql)
    run_mysql(seeded, plan.steps[-1].up_sql)  # a re-run changes nothing and does not fail
    assert _rows(seeded, "SELECT email, verified FROM users ORDER BY id") == (
        ("a@x.io", 1), ("b@x.io", None), ("c@x.io", 1), ("d@x.io", None))
    assert "COMMIT;" in plan.steps[-1].up_sql and "CREATE PROCEDURE" in plan.steps[-1].up_sql


@pytest.mark.parametrize("ops,clause", [
    ([{"op": "add_column", "table": "posts",
       "column": {"name": "score", "type": "int", "nullable": False, "default": "0"}}], "ALGORITHM=INSTANT"),
    ([{"op": "drop_column", "table": "users", "column": "legacy_avatar"}], "ALGORITHM=INSTANT"),
    ([{"op": "backfill", "table": "users", "column": "name", "expression": "'anon'",
       "where": "name IS NULL"},
      {"op": "set_not_null", "table": "users", "column": "name"}], "ALGORITHM=INPLACE, LOCK=NONE"),
    ([{"op": "drop_not_null", "table": "posts", "column": "title"}], "ALGORITHM=INPLACE, LOCK=NONE"),
    ([{"op": "set_default", "table": "posts", "column": "status", "default": "'draft'"}], "ALGORITHM=INSTANT"),
    ([{"op": "drop_default", "table": "posts", "column": "views"}], "ALGORITHM=INSTANT"),
    ([{"op": "add_index", "table": "users", "columns": ["email"], "unique": True,
       "name": "users_email_key"}], "ALGORITHM=INPLACE, LOCK=NONE"),
    ([{"op": "drop_index", "name": "posts_created_idx"}], "ALGORITHM=INPLACE, LOCK=NONE"),
    ([{"op": "add_foreign_key", "table": "comments", "columns": ["post_id"], "ref_table": "posts",
       "ref_columns": ["id"], "name": "comments_post_id_fkey"}], "ALGORITHM=INSTANT"),
    ([{"op": "add_check_constraint", "table": "posts", "expression": "views >= 0",
       "name": "posts_views_check"}], "ALGORITHM=COPY, LOCK=SHARED"),
    ([{"op": "add_unique_constraint", "table": "users", "columns": ["email"],
       "name": "users_email_uq"}], "ALGORITHM=INPLACE, LOCK=NONE"),
    ([{"op": "drop_constraint", "table": "users", "name": "users_org_id_fkey"}], "ALGORITHM=INPLACE, LOCK=NONE"),
    ([{"op": "alter_column_type", "table": "posts", "column": "status", "new_type": "varchar(40)"}], "ALGORITHM=INSTANT"),
    ([{"op": "alter_column_type", "table": "posts", "column": "views", "new_type": "bigint"}], "ALGORITHM=COPY, LOCK=SHARED"),
    ([{"op": "rename_table", "table": "comments", "new_name": "replies"}], "RENAME TABLE"),
    ([{"op": "create_table", "table": "tags", "columns": [
        {"name": "id", "type": "bigint", "primary_key": True, "nullable": False},
        {"name": "label", "type": "varchar(50)", "nullable": False}]}], "CREATE TABLE"),
    ([{"op": "drop_table", "table": "comments"}], "DROP TABLE"),
])
def test_each_operation_runs_as_declared_and_round_trips(seeded, ops, clause):
    plan = _plan(_spec(ops, allow_data_loss=True))
    assert clause in "\n".join(s.up_sql for s in plan.steps)
    round_trip(seeded, "mysql", plan.steps)


MYSQL8 = {  # what the same operations use on MySQL 8.0 (before 8.0.28/8.0.29's INSTANT)
    "drop_column": "ALGORITHM=INPLACE, LOCK=NONE", "alter_column_type": "ALGORITHM=",
    "drop_constraint": "ALGORITHM=INPLACE, LOCK=NONE"}


@pytest.mark.parametrize("ops", [
    [{"op": "add_column", "table": "posts", "column": {"name": "score", "type": "int"}}],
    [{"op": "drop_column", "table": "users", "column": "legacy_avatar"}],
    [{"op": "rename_column", "table": "posts", "column": "created", "new_name": "created_at"}],
    [{"op": "alter_column_type", "table": "posts", "column": "status", "new_type": "varchar(40)"}],
    [{"op": "add_check_constraint", "table": "posts", "expression": "views >= 0", "name": "ck_views"},
     {"op": "drop_constraint", "table": "posts", "name": "ck_views"}],
    [{"op": "add_index", "table": "users", "columns": ["email"], "name": "users_email_idx"}],
])
def test_mysql8_plans_run_on_mariadb_too(seeded, ops):
    """A plan for MySQL 8.0 has no IF [NOT] EXISTS and no SIGNAL in its checks; MariaDB runs
    that dialect subset as well, so the MySQL 8 rendering is exercised on a real server."""
    plan = _plan(_spec(ops, target_version="8.0", allow_data_loss=True))
    sql = "\n".join(s.up_sql + s.down_sql for s in plan.steps)
    # SIGNAL is valid in a stored procedure (a backfill's), not in a prepared check
    checks = re.sub(r"CREATE PROCEDURE .*?END\$\$", "", sql, flags=re.S)
    assert "IF NOT EXISTS" not in sql and "DROP COLUMN IF EXISTS" not in sql
    assert "SIGNAL SQLSTATE" not in checks
    for op in ops:
        if op["op"] in MYSQL8:
            assert MYSQL8[op["op"]] in sql
    round_trip(seeded, "mysql", plan.steps)


def test_mysql8_precondition_failure_quotes_the_message(seeded):
    plan = _plan(_spec([{"op": "add_column", "table": "posts",
                         "column": {"name": "score", "type": "int"}}], target_version="8.0"))
    run_mysql(seeded, "ALTER TABLE posts ADD COLUMN score int")
    with pytest.raises(Exception) as err:
        run_mysql(seeded, plan.steps[0].up_sql)
    assert "migsmith precondition failed: expected column posts.score does not exist" in str(err.value)


def test_preconditions_stop_the_step_with_the_message(seeded):
    plan = _plan(_spec([{"op": "add_column", "table": "posts",
                         "column": {"name": "score", "type": "int"}}]))
    run_mysql(seeded, "ALTER TABLE posts ADD COLUMN score int")
    with pytest.raises(Exception) as err:
        run_mysql(seeded, plan.steps[0].up_sql)
    assert "column posts.score does not exist yet" in str(err.value)


def test_unique_index_refused_on_duplicates(seeded):
    run_mysql(seeded, "UPDATE users SET name = 'Ann'")
    plan = _plan(_spec([{"op": "add_index", "table": "users", "columns": ["name"],
                         "unique": True, "name": "users_name_key"}]))
    with pytest.raises(Exception) as err:
        run_mysql(seeded, plan.steps[0].up_sql)
    assert "has no duplicates" in str(err.value)
    assert "users_name_key" not in str(snapshot_mysql(seeded)["tables"]["users"]["indexes"])


def test_foreign_key_refused_when_orphans_exist(seeded):
    run_mysql(seeded, "INSERT INTO comments (post_id, body) VALUES (999, 'orphan')")
    plan = _plan(_spec([{"op": "add_foreign_key", "table": "comments", "columns": ["post_id"],
                         "ref_table": "posts", "ref_columns": ["id"], "name": "c_post_fk"}]))
    for step in plan.steps[:-1]:
        run_mysql(seeded, step.up_sql)
    with pytest.raises(Exception) as err:
        run_mysql(seeded, plan.steps[-1].up_sql)
    assert "has a parent in posts" in str(err.value)


def test_round_trip_catches_a_down_that_does_not_undo(seeded):
    plan = _plan(_spec([{"op": "add_column", "table": "posts",
                         "column": {"name": "score", "type": "int"}}]))
    broken = [plan.steps[0].model_copy(update={"down_sql": "DO 0;"})]
    with pytest.raises(AssertionError, match="score"):
        round_trip(seeded, "mysql", broken)


@pytest.mark.parametrize("version", ["mariadb-10.11", "8.0"])
@pytest.mark.parametrize("spec_name", ["doc_rename_created_mysql", "doc_add_email_verified_mysql"])
def test_downs_can_run_twice_after_a_partial_up(seeded, version, spec_name):
    """DDL is not transactional: a down must cope with objects its up never made."""
    spec = json.loads((SPECS / f"{spec_name}.json").read_text())
    spec["options"]["target_version"] = version
    plan = _plan(parse_spec(spec))
    start = snapshot_mysql(seeded)
    for step in plan.steps:
        run_mysql(seeded, step.up_sql)
    for step in reversed(plan.steps):
        run_mysql(seeded, step.down_sql)
        run_mysql(seeded, step.down_sql)
    assert snapshot_mysql(seeded) == start


STRONGER = {"ALGORITHM=INPLACE, LOCK=NONE": "ALGORITHM=INSTANT",
            "ALGORITHM=COPY, LOCK=SHARED": "ALGORITHM=INPLACE, LOCK=NONE"}


@pytest.mark.parametrize("ops", [
    [{"op": "backfill", "table": "users", "column": "name", "expression": "'anon'", "where": "name IS NULL"},
     {"op": "set_not_null", "table": "users", "column": "name"}],
    [{"op": "drop_not_null", "table": "posts", "column": "title"}],
    [{"op": "add_index", "table": "users", "columns": ["email"], "name": "users_email_idx"}],
    [{"op": "drop_index", "name": "posts_created_idx"}],
    [{"op": "add_check_constraint", "table": "posts", "expression": "views >= 0", "name": "ck"}],
    [{"op": "alter_column_type", "table": "posts", "column": "views", "new_type": "bigint"}],
    [{"op": "add_foreign_key", "table": "comments", "columns": ["post_id"], "ref_table": "posts",
      "ref_columns": ["id"], "name": "comments_post_fk"}],
])
def test_the_named_algorithm_is_the_strongest_the_server_accepts(seeded, ops):
    """Each ALTER is first tried with the next stronger algorithm, which MariaDB must refuse:
    the plan never settles for a weaker algorithm (a longer lock) than the server can do."""
    from migsmith.tools.dialects.mysql import split_script

    plan = _plan(_spec(ops))
    tried = 0
    with seeded.cursor() as cur:
        for step in plan.steps:
            for stmt in split_script(step.up_sql):
                for weak, strong in STRONGER.items():
                    if stmt.startswith("ALTER TABLE") and stmt.endswith(weak):
                        with pytest.raises(Exception, match="not supported|Unsupported|ALGORITHM"):
                            cur.execute(stmt[: -len(weak)] + strong)
                        tried += 1
                cur.execute(stmt)
                while cur.nextset():
                    pass
    assert tried


def test_backfill_walks_a_non_integer_key(mysql_conn):
    ddl = ("CREATE TABLE codes (code varchar(20) NOT NULL PRIMARY KEY, label varchar(40));\n"
           "INSERT INTO codes VALUES ('b', NULL), ('a', NULL), ('c', 'keep'), ('d', NULL), ('e', NULL);")
    run_mysql(mysql_conn, ddl)
    from migsmith.tools.schema import load_ddl

    schema = load_ddl(ddl.split("\n")[0], "mysql")
    schema.tables["codes"].row_estimate = 5
    spec = _spec([{"op": "backfill", "table": "codes", "column": "label", "expression": "'x'",
                   "where": "label IS NULL"}], batch_size=2, batch_pause_ms=0)
    step = build_plan(spec, schema).steps[0]
    run_mysql(mysql_conn, step.up_sql)
    run_mysql(mysql_conn, step.up_sql)
    assert _rows(mysql_conn, "SELECT code, label FROM codes ORDER BY code") == (
        ("a", "x"), ("b", "x"), ("c", "keep"), ("d", "x"), ("e", "x"))
