"""What the MySQL and SQLite plans say, without a server: algorithms and locks in the impacts,
non-transactional steps, gh-ost / pt-osc lines, refusals with their alternative."""

from __future__ import annotations

from pathlib import Path

import pytest

from migsmith.tools.planning.docs import render_markdown
from migsmith.tools.errors import SpecError
from migsmith.tools.planning.planner import build_plan
from migsmith.tools.schema import load_schema
from migsmith.tools.spec.changespec import parse_spec

ROOT = Path(__file__).resolve().parents[2]


def plan(dialect, ops, version=None, **options):
    schema = load_schema(str(ROOT / "examples" / f"schema_{dialect}.sql"), dialect)
    spec = parse_spec({"operations": ops, "options": {"dialect": dialect,
                                                      "target_version": version, **options}})
    return build_plan(spec, schema)


RENAME = [{"op": "rename_column", "table": "posts", "column": "created", "new_name": "created_at"}]


@pytest.mark.parametrize("version,algorithm", [("8.0", "ALGORITHM=INPLACE, LOCK=NONE"),
                                               ("8.0.28", "ALGORITHM=INSTANT"),
                                               ("mariadb-10.11", "ALGORITHM=INSTANT")])
def test_rename_impact_names_the_algorithm_per_version(version, algorithm):
    p = plan("mysql", RENAME, version)
    assert p.impacts[0].algorithm == algorithm
    assert all(not s.transactional for s in p.steps)
    assert all("SET SESSION lock_wait_timeout = 1;" in s.up_sql for s in p.steps)
    assert "not transactional" in " ".join(p.notes)


def test_type_change_copies_and_offers_gh_ost_and_pt_osc():
    p = plan("mysql", [{"op": "alter_column_type", "table": "posts", "column": "views",
                        "new_type": "bigint"}], "8.0.35")
    imp = p.impacts[0]
    assert imp.algorithm == "ALGORITHM=COPY, LOCK=SHARED"
    assert imp.lock.blocks_writes and not imp.lock.blocks_reads
    assert p.steps[0].expected_locks[0].mode == "SHARED_NO_WRITE"
    notes = "\n".join(p.notes)
    assert "gh-ost" in notes and "--chunk-size=1000" in notes and "--max-load" in notes
    assert "--postpone-cut-over-flag-file" in notes and "pt-online-schema-change" in notes
    assert "MODIFY `views` bigint DEFAULT 0 NOT NULL" in notes
    assert "gh-ost" in render_markdown(p)


def test_narrowing_type_change_is_refused_without_allow_data_loss():
    with pytest.raises(SpecError, match="data would be lost"):
        plan("mysql", [{"op": "alter_column_type", "table": "posts", "column": "views",
                        "new_type": "smallint"}])


def test_mysql_refuses_partial_indexes_with_the_alternative():
    with pytest.raises(SpecError) as err:
        plan("mysql", [{"op": "add_index", "table": "users", "columns": ["email"],
                        "where": "email_confirmed_at IS NULL"}])
    assert "no partial indexes" in err.value.message and "generated" in err.value.hint


def test_mysql_refuses_volatile_default_that_would_copy():
    with pytest.raises(SpecError, match="ALGORITHM=COPY"):
        plan("mysql", [{"op": "add_column", "table": "users",
                        "column": {"name": "token", "type": "varchar(36)", "default": "uuid()"}}])


def test_mysql_down_steps_tolerate_partial_application_on_mariadb():
    p = plan("mysql", RENAME, "mariadb-10.11")
    downs = "\n".join(s.down_sql for s in p.steps)
    assert "DROP COLUMN IF EXISTS `created_at`" in downs
    assert "DROP TRIGGER IF EXISTS" in downs


def test_sqlite_impacts_say_database_write_lock_and_no_concurrent_index():
    p = plan("sqlite", [{"op": "add_index", "table": "posts", "columns": ["title"]}])
    imp = p.impacts[0]
    assert imp.lock.mode == "RESERVED" and imp.lock.blocks_writes
    assert "whole database" in " ".join(imp.notes) and "no concurrent index" in " ".join(imp.notes)
    assert p.steps[0].transactional


def test_sqlite_rebuild_on_old_versions_and_native_on_new():
    old = plan("sqlite", RENAME, "3.24")
    new = plan("sqlite", RENAME, "3.35")
    assert old.impacts[0].algorithm == "table rebuild" and new.impacts[0].algorithm is None
    assert "12-step" in " ".join(old.notes)


def test_sqlite_refuses_dropping_a_primary_key():
    with pytest.raises(SpecError, match="primary key"):
        plan("sqlite", [{"op": "drop_constraint", "table": "users", "name": "users_pkey"}])


def test_mysql_refuses_dropping_a_primary_key():
    with pytest.raises(SpecError, match="hidden row id") as err:
        plan("mysql", [{"op": "drop_constraint", "table": "comments", "name": "PRIMARY"}])
    assert "gh-ost" in err.value.hint


EVERY_OP = [
    {"op": "add_column", "table": "posts", "column": {"name": "score", "type": "int", "nullable": False, "default": "0"}},
    {"op": "add_column", "table": "posts", "column": {"name": "seen", "type": "datetime", "default": "CURRENT_TIMESTAMP"}},
    {"op": "drop_column", "table": "users", "column": "legacy_avatar"},
    {"op": "drop_column", "table": "users", "column": "email"},
    {"op": "rename_column", "table": "posts", "column": "created", "new_name": "created_at"},
    {"op": "alter_column_type", "table": "posts", "column": "status", "new_type": "varchar(40)"},
    {"op": "alter_column_type", "table": "posts", "column": "views", "new_type": "bigint"},
    {"op": "set_not_null", "table": "users", "column": "name"},
    {"op": "drop_not_null", "table": "posts", "column": "title"},
    {"op": "set_default", "table": "posts", "column": "status", "default": "'draft'"},
    {"op": "drop_default", "table": "posts", "column": "views"},
    {"op": "add_index", "table": "users", "columns": ["email"], "unique": True},
    {"op": "drop_index", "name": "posts_created_idx"},
    {"op": "add_foreign_key", "table": "comments", "columns": ["post_id"], "ref_table": "posts", "ref_columns": ["id"]},
    {"op": "add_check_constraint", "table": "posts", "expression": "views >= 0"},
    {"op": "add_unique_constraint", "table": "users", "columns": ["email"]},
    {"op": "drop_constraint", "table": "users", "name": "users_org_id_fkey"},
    {"op": "rename_table", "table": "comments", "new_name": "replies"},
    {"op": "drop_table", "table": "comments"},
    {"op": "create_table", "table": "tags", "columns": [{"name": "id", "type": "bigint", "primary_key": True}, {"name": "label", "type": "text"}]},
    {"op": "backfill", "table": "posts", "column": "status", "expression": "'x'", "where": "status IS NULL"},
]


# MariaDB 10.11 and SQLite 3.40 plans are run on real servers elsewhere; these are the others.
@pytest.mark.parametrize("dialect,version", [("mysql", "8.0"), ("sqlite", "3.24")])
@pytest.mark.parametrize("downtime", [False, True])
def test_every_operation_plans_and_renders_on_older_versions(dialect, version, downtime):
    for op in EVERY_OP:
        p = plan(dialect, [op], version, allow_data_loss=True, downtime_allowed=downtime)
        assert p.steps and all(s.up_sql.strip() and s.down_sql.strip() for s in p.steps)
        assert render_markdown(p).startswith("# Migration")


@pytest.mark.parametrize("version", ["8.0", "mariadb-10.11"])
def test_mysql_impacts_state_mysql_statements(version):
    for op in EVERY_OP:
        p = plan("mysql", [op], version, allow_data_loss=True)
        for imp in p.impacts:
            assert " TYPE " not in imp.statement and "CONCURRENTLY" not in imp.statement
            if imp.algorithm:
                assert imp.algorithm in imp.statement, imp
