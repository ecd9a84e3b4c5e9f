"""Properties of PostgreSQL plans that a careful engineer would check by eye."""

import re

import pytest

from migsmith.tools.errors import SpecError
from migsmith.tools.planning.planner import build_plan
from migsmith.tools.schema import load_schema
from migsmith.tools.spec.changespec import parse_spec


@pytest.fixture(scope="module")
def schema(example_schema_path):
    return load_schema(str(example_schema_path))


def plan_for(schema, *ops, **options):
    return build_plan(parse_spec({"operations": list(ops), "options": options}), schema)


def test_concurrent_index_is_alone_and_outside_a_transaction(schema):
    plan = plan_for(schema, {"op": "add_index", "table": "users", "columns": ["email"]})
    [step] = plan.steps
    assert not step.transactional
    assert "CREATE INDEX CONCURRENTLY IF NOT EXISTS" in step.up_sql
    assert "BEGIN" not in step.up_sql.replace("BEGIN\n", "")  # only the DO block's BEGIN
    assert "DROP INDEX CONCURRENTLY IF EXISTS" in step.down_sql
    # a plain column's statistics exist already: no ANALYZE (it only costs the clients a scan)
    assert "ANALYZE" not in step.up_sql
    assert plan.strategy == "additive" and plan.alternative is None


def test_timeouts_in_every_step(schema):
    plan = plan_for(schema, {"op": "rename_column", "table": "posts", "column": "created",
                             "new_name": "created_at"})
    for step in plan.steps:
        assert "lock_timeout = '" in step.up_sql and "statement_timeout = '" in step.up_sql
        blocking = any(lk.mode in ("AccessExclusiveLock", "ShareRowExclusiveLock", "ShareLock")
                       for lk in step.expected_locks)
        if blocking or step.backfill:
            assert "lock_timeout = '200ms'" in step.up_sql, step.title
        if blocking and step.transactional:
            assert "LOCK TABLE \"posts\" IN ACCESS EXCLUSIVE MODE" in step.up_sql, step.title


def test_not_null_goes_through_a_validated_check(schema):
    plan = plan_for(schema, {"op": "set_not_null", "table": "users", "column": "name"})
    sqls = [s.up_sql for s in plan.steps]
    assert "CHECK (\"name\" IS NOT NULL) NOT VALID" in sqls[0]
    assert "VALIDATE CONSTRAINT" in sqls[1]
    assert "SET NOT NULL" in sqls[2] and "DROP CONSTRAINT" in sqls[2]
    assert plan.strategy == "expand_contract"
    assert plan.alternative and "SET NOT NULL" in plan.alternative.steps[0].up_sql


def test_not_null_before_pg12_keeps_the_check(schema):
    plan = plan_for(schema, {"op": "set_not_null", "table": "users", "column": "name"},
                    target_version="11")
    assert len(plan.steps) == 2
    assert all("SET NOT NULL;" not in s.up_sql for s in plan.steps)


def test_rename_column_is_expand_contract_with_a_sync_trigger(schema):
    plan = plan_for(schema, {"op": "rename_column", "table": "posts", "column": "created",
                             "new_name": "created_at"})
    phases = [s.phase for s in plan.steps]
    assert phases[0] == "expand" and phases[-1] == "contract"
    assert re.search(r"CREATE (OR REPLACE )?TRIGGER", plan.steps[0].up_sql)
    assert any(s.backfill for s in plan.steps)
    assert "DROP COLUMN \"created\"" in plan.steps[-1].up_sql
    # the down of the contract step re-creates the old column with its data
    assert 'UPDATE "posts" SET "created" = "created_at"' in plan.steps[-1].down_sql
    assert "RENAME COLUMN" in plan.alternative.steps[0].up_sql


def test_down_reverses_up_order(schema):
    plan = plan_for(schema, {"op": "set_not_null", "table": "users", "column": "name"})
    down = plan.steps[2].down_sql
    assert down.index("ADD CONSTRAINT") < down.index("DROP NOT NULL")


def test_foreign_key_not_valid_then_validate_with_index(schema):
    plan = plan_for(schema, {"op": "add_foreign_key", "table": "comments",
                             "columns": ["post_id"], "ref_table": "posts", "ref_columns": ["id"]})
    kinds = [s.title for s in plan.steps]
    assert "CONCURRENTLY" in plan.steps[0].up_sql  # an index for the new foreign key first
    assert "LOCK TABLE \"posts\" IN SHARE ROW EXCLUSIVE MODE" in plan.steps[1].up_sql
    assert "NOT VALID" in plan.steps[1].up_sql
    assert "VALIDATE CONSTRAINT" in plan.steps[2].up_sql, kinds


def test_volatile_default_avoids_rewrite(schema):
    plan = plan_for(schema, {"op": "add_column", "table": "users", "column": {
        "name": "token", "type": "uuid", "nullable": False, "default": "gen_random_uuid()"}})
    first = plan.steps[0].up_sql
    assert 'ADD COLUMN "token" uuid;' in first and "SET DEFAULT gen_random_uuid()" in first
    assert any(s.backfill for s in plan.steps)
    assert any("SET NOT NULL" in s.up_sql for s in plan.steps)


def test_constant_default_is_metadata_only(schema):
    plan = plan_for(schema, {"op": "add_column", "table": "users", "column": {
        "name": "email_verified", "type": "boolean", "nullable": False, "default": "false"}})
    assert len(plan.steps) == 1 and plan.impacts[0].effect == "metadata"


def test_data_loss_is_refused_without_consent(schema):
    with pytest.raises(SpecError, match="destroys data; refused"):
        plan_for(schema, {"op": "drop_column", "table": "users", "column": "legacy_avatar"})
    plan = plan_for(schema, {"op": "drop_column", "table": "users", "column": "legacy_avatar"},
                    allow_data_loss=True)
    assert plan.steps[-1].irreversible and "backup" in plan.steps[-1].irreversible


def test_narrowing_type_change_is_refused(schema):
    with pytest.raises(SpecError, match="data would be lost"):
        plan_for(schema, {"op": "alter_column_type", "table": "posts", "column": "status",
                          "new_type": "varchar(5)"})


def test_widening_varchar_is_metadata_only(schema):
    plan = plan_for(schema, {"op": "alter_column_type", "table": "posts", "column": "status",
                             "new_type": "varchar(50)"})
    assert len(plan.steps) == 1 and plan.impacts[0].effect == "metadata"


def test_int_to_bigint_swaps_columns(schema):
    plan = plan_for(schema, {"op": "alter_column_type", "table": "posts", "column": "views",
                             "new_type": "bigint"})
    titles = " | ".join(s.title for s in plan.steps)
    assert "swap" in titles
    assert plan.impacts[0].effect == "rewrite"


def test_unknown_column_in_spec(schema):
    with pytest.raises(SpecError, match="unknown column 'creatd'.*did you mean 'created'"):
        plan_for(schema, {"op": "rename_column", "table": "posts", "column": "creatd",
                          "new_name": "created_at"})


def test_existing_column_in_spec(schema):
    with pytest.raises(SpecError, match="column 'email' already exists"):
        plan_for(schema, {"op": "add_column", "table": "users",
                          "column": {"name": "email", "type": "text"}})


def test_backfill_without_key_is_refused():
    from migsmith.tools.schema import load_ddl

    s = load_ddl("-- migsmith: rows=100\nCREATE TABLE logs (msg text, level int);")
    with pytest.raises(SpecError, match="no primary key or unique NOT NULL key"):
        build_plan(parse_spec({"operations": [{"op": "backfill", "table": "logs",
                                               "column": "level", "expression": "0"}]}), s)


def test_operations_on_a_new_table_are_simple(schema):
    plan = plan_for(schema,
                    {"op": "create_table", "table": "tags", "columns": [
                        {"name": "id", "type": "bigint", "primary_key": True},
                        {"name": "label", "type": "text", "nullable": False}]},
                    {"op": "add_index", "table": "tags", "columns": ["label"], "unique": True})
    assert plan.strategy == "additive"
    assert "CONCURRENTLY" not in plan.steps[1].up_sql and plan.steps[1].transactional


def test_downtime_plan_is_one_transaction(schema):
    plan = plan_for(schema, {"op": "rename_column", "table": "posts", "column": "created",
                             "new_name": "created_at"}, downtime_allowed=True)
    assert plan.strategy == "downtime" and len(plan.steps) == 1
    assert plan.steps[0].transactional and "RENAME COLUMN" in plan.steps[0].up_sql


def test_markdown_has_every_section(schema):
    from migsmith.tools.planning.docs import render_markdown

    plan = plan_for(schema, {"op": "rename_column", "table": "posts", "column": "created",
                             "new_name": "created_at"})
    md = render_markdown(plan)
    for section in ("## What changes and why", "## Deployment order", "## How the step files run",
                    "## Alternative", "## Code changes needed", "## Expected duration",
                    "## Rollback", "## Monitoring", "## Deployment checklist"):
        assert section in md, section
    # the monitoring queries are in monitoring.sql beside PLAN.md, not in it
    from migsmith.tools.planning.writer import plan_files

    sql = plan_files(plan)["monitoring.sql"]
    assert "pg_stat_activity" in sql and "pg_locks" in sql and "(monitoring.sql)" in md


def test_operations_doc_is_current():
    from pathlib import Path

    from migsmith.tools.planning.optable import markdown

    doc = Path(__file__).resolve().parents[2] / "docs" / "operations.md"
    assert doc.read_text() == markdown(), "regenerate: python -m migsmith.tools.planning.optable > docs/operations.md"


def test_rule_ids_for_directives_match_the_linter():
    from migsmith.tools.dialects.base import _migsmith_rule_ids
    from migsmith.tools.lint.rules import all_rules

    assert _migsmith_rule_ids() == frozenset(all_rules())
