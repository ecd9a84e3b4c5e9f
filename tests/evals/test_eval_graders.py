"""Graders on real plans: each passes a good plan and fails a plan broken on purpose."""

from __future__ import annotations

import pytest

from migsmith.evals.case import Case
from migsmith.evals.graders import plan_properties, refusal, spec_match
from migsmith.evals.graders.base import RunOutput
from migsmith.tools.planning.planner import build_plan
from migsmith.tools.schema import load_schema
from migsmith.tools.spec.changespec import parse_spec


@pytest.fixture(scope="module")
def schema(example_schema_path):
    return load_schema(str(example_schema_path))


def plan_for(schema, spec_file: str):
    spec = parse_spec(open(f"evals/specs/{spec_file}").read())
    return build_plan(spec, schema, created="2026-01-01")


def case(**kw) -> Case:
    base = {"id": "t", "schema": "examples/schema.sql"}
    if "spec" not in kw:
        base["request"] = "r"
    return Case.model_validate({**base, **kw})


def test_spec_match_reports_the_field_that_differs(schema):
    c = case(expect={"operations": [
        {"op": "add_column", "table": "users",
         "column": {"name": "email_verified", "type": "boolean", "nullable": False}},
        {"op": "add_index", "table": "users", "columns": ["email"]}]})
    actual = parse_spec({"operations": [
        {"op": "add_column", "table": "users",
         "column": {"name": "email_verified", "type": "bool", "nullable": True}},
        {"op": "add_index", "table": "users", "columns": ["email"]},
        {"op": "set_default", "table": "users", "column": "name", "default": "'x'"}]})
    g = spec_match.grade(c, RunOutput(spec=actual))
    assert not g.passed
    assert "column.nullable: expected False, got True" in g.details
    assert "unexpected operation set_default users.name" in g.details
    assert g.data["precision"] == pytest.approx(1 / 3, abs=1e-3)
    assert g.data["recall"] == 0.5


def test_spec_match_canonicalizes_types_and_expressions():
    c = case(expect={"operations": [
        {"op": "add_column", "table": "Users",
         "column": {"name": "seen_at", "type": "timestamptz", "default": "NOW()"}}]})
    actual = parse_spec({"operations": [
        {"op": "add_column", "table": "users",
         "column": {"name": "seen_at", "type": "timestamp with time zone", "default": "now()"}}]})
    g = spec_match.grade(c, RunOutput(spec=actual))
    assert g.passed, g.details
    assert g.score == 1.0


def test_spec_match_missing_operation_lowers_recall():
    c = case(expect={"operations": [{"op": "drop_column", "table": "users", "column": "x"}]})
    actual = parse_spec({"operations": [{"op": "add_index", "table": "users", "columns": ["email"]}]})
    g = spec_match.grade(c, RunOutput(spec=actual))
    assert not g.passed and g.score == 0.0
    assert "missing operation drop_column users.x" in g.details


def test_plan_properties_hold_on_the_documents_rename(schema):
    plan = plan_for(schema, "doc_rename_created.json")
    props = {"strategy": "expand_contract", "sync_trigger": True, "contract_last": True,
             "backfill_batched_commits": True, "not_null_via_validated_check": True,
             "index_concurrent_own_step": True, "down_present_and_reversing": True,
             "lock_timeout_set": True, "alternative_present": True,
             "checklist_mentions_deploy_order": True, "no_destructive_ops": False}
    g = plan_properties.grade(case(spec="x.json", expect={"properties": props}), RunOutput(plan=plan))
    assert g.passed, g.details


def test_index_inside_a_transaction_fails(schema):
    plan = plan_for(schema, "doc_users_email_index.json")
    assert plan_properties.index_concurrent_own_step(plan, None)[0]
    step = plan.steps[0]
    step.transactional = True
    step.up_sql = "BEGIN;\n" + step.up_sql + "\nCOMMIT;"
    ok, why = plan_properties.index_concurrent_own_step(plan, None)
    assert not ok and "inside a transaction" in why
    assert not plan_properties.no_concurrently_in_transaction(plan, None)[0]
    step.up_sql = step.up_sql.replace(" CONCURRENTLY", "")
    assert "without CONCURRENTLY" in plan_properties.index_concurrent_own_step(plan, None)[1]


def test_a_down_that_forgets_to_undo_fails(schema):
    plan = plan_for(schema, "doc_add_email_verified.json")
    assert plan_properties.down_present_and_reversing(plan, None)[0]
    plan.steps[0].down_sql = plan.steps[0].down_sql.replace("DROP COLUMN", "-- DROP COLUMN")
    ok, why = plan_properties.down_present_and_reversing(plan, None)
    assert not ok and "does not undo add column email_verified" in why


def test_backfill_in_one_transaction_fails(schema):
    plan = plan_for(schema, "doc_add_email_verified.json")
    assert plan_properties.backfill_batched_commits(plan, None)[0]
    # the seed document's mistake: the UPDATE inside the BEGIN/COMMIT of the column step
    plan.steps[0].up_sql += "\nUPDATE users SET email_verified = true WHERE email_confirmed_at IS NOT NULL;"
    ok, why = plan_properties.backfill_batched_commits(plan, None)
    assert not ok and "inside one transaction" in why


def test_not_null_without_validated_check_fails(schema):
    spec = parse_spec({"operations": [{"op": "set_not_null", "table": "users", "column": "name"}]})
    plan = build_plan(spec, schema)
    assert plan_properties.not_null_via_validated_check(plan, None)[0]
    plan.steps = [s for s in plan.steps if "VALIDATE" not in s.up_sql]
    assert not plan_properties.not_null_via_validated_check(plan, None)[0]


def test_strings_and_comments_do_not_count_as_sql():
    text = ("-- DROP TABLE users\nDO $check$ BEGIN RAISE EXCEPTION 'run DROP INDEX x'; END "
            "$check$;\nSELECT 'never DROP COLUMN y';")
    assert "DROP" not in plan_properties.code(text)


def test_refusal_grader():
    c = case(expect={"refused": "does not exist"})
    assert refusal.grade(c, RunOutput(refusal="table foo does not exist", stage="request")).passed
    assert not refusal.grade(c, RunOutput(refusal="something else", stage="request")).passed
    assert not refusal.grade(c, RunOutput(spec=parse_spec(
        {"operations": [{"op": "add_index", "table": "users", "columns": ["email"]}]}))).passed
    ok = case(expect={"properties": {"strategy": "additive"}})
    assert refusal.grade(ok, RunOutput()) is None
    assert not refusal.grade(ok, RunOutput(refusal="boom", stage="plan")).passed


def test_lint_grader_flags_a_bad_step(schema):
    pytest.importorskip("migsmith.tools.lint")
    from migsmith.evals.graders import lint_clean

    plan = plan_for(schema, "doc_users_email_index.json")
    c = case(spec="x.json", expect={"properties": {"strategy": "additive"}})
    assert lint_clean.grade(c, RunOutput(plan=plan)).passed
    plan.steps[0].up_sql = "CREATE INDEX idx_users_name ON users (name);\n"
    g = lint_clean.grade(c, RunOutput(plan=plan))
    assert not g.passed and "require-concurrent-index-creation" in g.details


def test_llm_usage_grades_the_turn_budget(schema):
    from migsmith.agent.runner import request_to_spec
    from migsmith.evals.graders import llm_usage

    agent = request_to_spec("add a text column bio to users", schema, model="offline")
    c = case(expect={"operations": [{"op": "add_column", "table": "users"}], "max_turns": 1})
    assert llm_usage.grade(c, RunOutput(agent=agent, model="offline")) is None
    g = llm_usage.grade(c, RunOutput(agent=agent, model="anthropic"))
    assert g.data["turns"] == agent.turns
    assert g.passed == (agent.turns <= 1)
    roomy = case(expect={"operations": [{"op": "add_column", "table": "users"}], "max_turns": 50})
    assert llm_usage.grade(roomy, RunOutput(agent=agent, model="anthropic")).passed


def test_statements_prepared_from_strings_still_count():
    text = ("SET @s = IF(1, 'ALTER TABLE `users` ADD INDEX `i` (`email`), ALGORITHM=INPLACE', "
            "'DO 0');\nPREPARE st FROM @s;\nSELECT 'migsmith precondition failed: x';")
    out = plan_properties.code(text)
    assert "ALTER TABLE `users` ADD INDEX `i` (`email`), ALGORITHM=INPLACE;" in out
    assert "precondition" not in out
