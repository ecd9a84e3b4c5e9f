"""SQLite plans on a real SQLite (the sqlite3 module's library): native ALTER TABLE where the
version allows it, the 12-step rebuild otherwise, and up, down, up leaves the schema as
planned (catalog compared through pragmas)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from dialect_roundtrip import SEED, round_trip, run_sqlite
from migsmith.tools.proving.catalog_mysql_sqlite import snapshot_sqlite
from migsmith.tools.planning.planner import build_plan
from migsmith.tools.schema import load_schema
from migsmith.tools.spec.changespec import parse_spec

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "examples" / "schema_sqlite.sql"
SPECS = ROOT / "evals" / "specs"


def _spec(ops, version="3.40", **options):
    return parse_spec({"operations": ops,
                       "options": {"dialect": "sqlite", "target_version": version, **options}})


@pytest.fixture()
def seeded(sqlite_conn):
    run_sqlite(sqlite_conn, "PRAGMA foreign_keys = ON;\n" + SCHEMA.read_text() + SEED)
    return sqlite_conn


def _plan(spec):
    return build_plan(spec, load_schema(str(SCHEMA), "sqlite"))


def _rows(conn, sql):
    return conn.execute(sql).fetchall()


@pytest.mark.parametrize("name", ["doc_rename_created_sqlite", "doc_rename_created_downtime_sqlite",
                                  "doc_rename_created_sqlite_324", "doc_add_email_verified_sqlite",
                                  "doc_users_email_index_sqlite"])
def test_seed_document_examples_round_trip(seeded, name):
    plan = _plan(parse_spec(json.loads((SPECS / f"{name}.json").read_text())))
    snaps = round_trip(seeded, "sqlite", plan.steps)
    assert snaps["up"] != snaps["start"]
    assert _rows(seeded, "PRAGMA foreign_key_check") == []


def test_rename_on_324_uses_the_rebuild_and_keeps_rows(seeded):
    new = _plan(parse_spec(json.loads((SPECS / "doc_rename_created_sqlite.json").read_text())))
    old = _plan(parse_spec(json.loads((SPECS / "doc_rename_created_sqlite_324.json").read_text())))
    native = 'ALTER TABLE "posts" RENAME COLUMN'
    assert native in new.steps[0].up_sql and "migsmith_new_" not in new.steps[0].up_sql
    up = old.steps[0].up_sql
    assert "migsmith_new_posts" in up and native not in up
    # foreign keys off before the transaction, back on after it (the pragma is inert inside one)
    assert up.index("PRAGMA foreign_keys = OFF;") < up.index("BEGIN IMMEDIATE;") \
        < up.index("COMMIT;") < up.index("PRAGMA foreign_keys = ON;")
    before = _rows(seeded, "SELECT id, user_id, title, created FROM posts ORDER BY id")
    run_sqlite(seeded, up)
    assert _rows(seeded, "SELECT id, user_id, title, created_at FROM posts ORDER BY id") == before
    indexes = {r[0] for r in _rows(seeded, "SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"posts_user_id_idx", "posts_created_idx"} <= indexes


@pytest.mark.parametrize("ops,marker", [
    ([{"op": "add_column", "table": "posts",
       "column": {"name": "score", "type": "integer", "nullable": False, "default": "0"}}], "ADD COLUMN"),
    ([{"op": "add_column", "table": "posts",
       "column": {"name": "seen_at", "type": "text", "nullable": False,
                  "default": "CURRENT_TIMESTAMP"}}], "migsmith_new_posts"),
    ([{"op": "drop_column", "table": "users", "column": "legacy_avatar"}], "DROP COLUMN"),
    ([{"op": "drop_column", "table": "posts", "column": "created"}], "migsmith_new_posts"),
    ([{"op": "backfill", "table": "users", "column": "name", "expression": "'anon'",
       "where": "name IS NULL"},
      {"op": "set_not_null", "table": "users", "column": "name"}], "migsmith_new_users"),
    ([{"op": "drop_not_null", "table": "posts", "column": "title"}], "migsmith_new_posts"),
    ([{"op": "set_default", "table": "posts", "column": "status", "default": "'draft'"}], "migsmith_new_posts"),
    ([{"op": "drop_default", "table": "posts", "column": "views"}], "migsmith_new_posts"),
    ([{"op": "alter_column_type", "table": "posts", "column": "views", "new_type": "bigint"}], "migsmith_new_posts"),
    ([{"op": "add_index", "table": "users", "columns": ["email"], "unique": True,
       "name": "users_email_key"}], "CREATE UNIQUE INDEX"),
    ([{"op": "add_index", "table": "users", "columns": ["email"], "name": "users_unconfirmed_idx",
       "where": "email_confirmed_at IS NULL"}], "WHERE"),
    ([{"op": "drop_index", "name": "posts_created_idx"}], "DROP INDEX"),
    ([{"op": "add_foreign_key", "table": "comments", "columns": ["post_id"], "ref_table": "posts",
       "ref_columns": ["id"], "name": "comments_post_id_fkey"}], "migsmith_new_comments"),
    ([{"op": "add_check_constraint", "table": "posts", "expression": "views >= 0",
       "name": "posts_views_check"}], "migsmith_new_posts"),
    ([{"op": "add_unique_constraint", "table": "users", "columns": ["email"],
       "name": "users_email_uq"}], "CREATE UNIQUE INDEX"),
    ([{"op": "drop_constraint", "table": "users", "name": "users_org_id_fkey"}], "migsmith_new_users"),
    ([{"op": "rename_table", "table": "comments", "new_name": "replies"}], "RENAME TO"),
    ([{"op": "create_table", "table": "tags", "columns": [
        {"name": "id", "type": "integer", "primary_key": True, "nullable": False},
        {"name": "label", "type": "varchar(50)", "nullable": False}]}], "CREATE TABLE"),
    ([{"op": "drop_table", "table": "comments"}], "DROP TABLE"),
])
def test_each_operation_round_trips(seeded, ops, marker):
    plan = _plan(_spec(ops, allow_data_loss=True))
    assert marker in "\n".join(s.up_sql for s in plan.steps)
    round_trip(seeded, "sqlite", plan.steps)
    assert _rows(seeded, "PRAGMA foreign_key_check") == []


def test_drop_column_on_334_rebuilds(seeded):
    plan = _plan(_spec([{"op": "drop_column", "table": "users", "column": "legacy_avatar"}],
                       version="3.34", allow_data_loss=True))
    assert "DROP COLUMN" not in plan.steps[0].up_sql and "migsmith_new_users" in plan.steps[0].up_sql
    round_trip(seeded, "sqlite", plan.steps)


def test_precondition_failure_names_the_condition(seeded):
    plan = _plan(_spec([{"op": "add_column", "table": "posts",
                         "column": {"name": "score", "type": "integer"}}]))
    run_sqlite(seeded, "ALTER TABLE posts ADD COLUMN score integer")
    with pytest.raises(sqlite3.IntegrityError, match="column posts.score does not exist yet"):
        run_sqlite(seeded, plan.steps[0].up_sql)


def test_rebuild_refuses_orphans_and_changes_nothing(seeded):
    run_sqlite(seeded, "PRAGMA foreign_keys = OFF; INSERT INTO comments (post_id, body) VALUES (999, 'orphan');")
    before = snapshot_sqlite(seeded)
    plan = _plan(_spec([{"op": "add_foreign_key", "table": "comments", "columns": ["post_id"],
                         "ref_table": "posts", "ref_columns": ["id"], "name": "c_post_fk"}]))
    with pytest.raises(sqlite3.IntegrityError, match="foreign key violations"):
        run_sqlite(seeded, plan.steps[-1].up_sql)
    seeded.execute("ROLLBACK")  # what a client does after a failed script
    assert snapshot_sqlite(seeded) == before


def test_set_not_null_refused_while_nulls_remain(seeded):
    plan = _plan(_spec([{"op": "set_not_null", "table": "users", "column": "name"}]))
    with pytest.raises(sqlite3.IntegrityError, match="no row has name NULL"):
        run_sqlite(seeded, plan.steps[0].up_sql)


def test_round_trip_catches_a_down_that_does_not_undo(seeded):
    plan = _plan(_spec([{"op": "add_column", "table": "posts",
                         "column": {"name": "score", "type": "integer"}}]))
    broken = [plan.steps[0].model_copy(update={"down_sql": "SELECT 1;"})]
    with pytest.raises(AssertionError, match="score"):
        round_trip(seeded, "sqlite", broken)


def test_backfill_commits_per_batch_and_covers_rows_beyond_the_estimate(seeded):
    schema = load_schema(str(SCHEMA), "sqlite")
    schema.tables["users"].row_estimate = 2  # fewer than the table holds: the tail must be done too
    spec = _spec([{"op": "backfill", "table": "users", "column": "name", "expression": "'anon'",
                   "where": "name IS NULL"}], batch_size=1)
    plan = build_plan(spec, schema)
    step = plan.steps[0]
    assert not step.transactional and step.up_sql.count("COMMIT;") == 3  # 2 batches + the tail
    run_sqlite(seeded, step.up_sql)
    run_sqlite(seeded, step.up_sql)  # re-runnable
    assert _rows(seeded, "SELECT email, name FROM users ORDER BY id") == [
        ("a@x.io", "Ann"), ("b@x.io", "Bob"), ("c@x.io", "anon"), ("d@x.io", "Dee")]
