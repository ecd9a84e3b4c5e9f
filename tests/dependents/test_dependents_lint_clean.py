"""The plans for dependents lint clean like every other plan (tests/test_generated_plans_
lint_clean.py's rules): what a step does on purpose (a materialized view's indexes built on the
fresh copy, a partitioned table's key added without NOT VALID) is named in the step."""

from __future__ import annotations

import pytest

from migsmith.tools.lint import DOWN_STEP_EXPECTED_RULES, TASTE_RULES, lint_sql
from migsmith.tools.planning.planner import build_plan
from migsmith.tools.schema import load_schema
from migsmith.tools.spec.changespec import ChangeSpec

from dependents_helpers import FIXTURES

OPS = [
    {"op": "rename_column", "table": "accounts", "column": "email", "new_name": "email_address"},
    {"op": "alter_column_type", "table": "accounts", "column": "tenant_id", "new_type": "bigint"},
    {"op": "add_index", "table": "events", "columns": ["account_id"], "name": "events_acct_idx"},
    {"op": "add_foreign_key", "table": "events", "columns": ["account_id"],
     "ref_table": "accounts", "ref_columns": ["id"], "name": "events_account_fkey"},
]


@pytest.mark.parametrize("op", OPS, ids=[o["op"] for o in OPS])
def test_dependents_plans_lint_clean(op):
    plan = build_plan(ChangeSpec.model_validate({"name": "t", "operations": [op]}),
                      load_schema(str(FIXTURES / "postgres_dependents.sql")))
    problems = []
    for step in plan.steps:
        for direction, sql in (("up", step.up_sql), ("down", step.down_sql)):
            skip = set(TASTE_RULES) | (set(DOWN_STEP_EXPECTED_RULES) if direction == "down"
                                       else set())
            problems += [f"step {step.number} {direction}: {f.rule_id}: {f.message}"
                         for f in lint_sql(sql, filename=step.slug, exclude=skip)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("op", OPS, ids=[o["op"] for o in OPS])
def test_dependents_plans_squawk_clean(op):
    from migsmith.tools.lint.squawk import find_squawk, run_squawk

    if find_squawk() is None:
        pytest.skip("squawk-cli is not installed")
    taste = {"prefer-bigint-over-int", "prefer-bigint-over-smallint", "prefer-text-field",
             "prefer-timestamp-tz", "prefer-robust-stmts", "prefer-identity", "ban-char-field"}
    drops = {"ban-drop-column", "ban-drop-table", "ban-drop-function", "ban-drop-view",
             "ban-drop-constraint", "ban-drop-default", "ban-drop-not-null", "renaming-column",
             "renaming-table"}
    plan = build_plan(ChangeSpec.model_validate({"name": "t", "operations": [op]}),
                      load_schema(str(FIXTURES / "postgres_dependents.sql")))
    problems = [f"step {step.number} {direction}: {f['rule']}: {f['message']}"
                for step in plan.steps
                for direction, sql in (("up", step.up_sql), ("down", step.down_sql))
                for f in run_squawk(sql, pg_version=14,
                                    exclude=taste | (drops if direction == "down" else set()))]
    assert not problems, "\n".join(problems)
