"""What tests/test_generated_plans_lint_clean.py will rely on (tools/lint/plan.py)."""

from migsmith.tools.lint import DOWN_STEP_EXPECTED_RULES, TASTE_RULES, all_rules, lint_plan_step


def test_rule_groups():
    rules = all_rules()
    assert TASTE_RULES == {r.id for r in rules.values() if r.category == "taste"}
    assert all(rules[r].severity == "warning" for r in TASTE_RULES)
    assert {"ban-drop-column", "ban-drop-table", "renaming-column", "renaming-table"} <= DOWN_STEP_EXPECTED_RULES
    assert "require-lock-timeout" not in DOWN_STEP_EXPECTED_RULES | TASTE_RULES


def test_transactional_flag_is_the_runner_transaction():
    step = "SET lock_timeout = '2s';\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);\n"
    assert lint_plan_step(step, transactional=False) == []
    assert [f.rule_id for f in lint_plan_step(step, transactional=True)] == ["ban-concurrently-in-transaction"]


def test_down_steps_may_drop_what_up_added():
    down = "SET lock_timeout = '2s';\nSET statement_timeout = '5s';\nALTER TABLE t DROP COLUMN IF EXISTS c;\n"
    assert lint_plan_step(down, transactional=True, direction="down") == []
    assert [f.rule_id for f in lint_plan_step(down, transactional=True, direction="up")] == ["ban-drop-column"]


def test_taste_rules_are_left_out_but_safety_rules_are_not():
    step = "CREATE TABLE t (id serial PRIMARY KEY, name varchar(50), at timestamp);\nUPDATE u SET a = 1;\n"
    assert [f.rule_id for f in lint_plan_step(step, transactional=True)] == ["unbatched-data-change"]


def test_a_step_that_opens_its_own_transaction_is_linted_as_written():
    step = ("SET lock_timeout = '500ms';\nSET statement_timeout = '5s';\nBEGIN;\n"
            "ALTER TABLE t ADD COLUMN c text;\nCOMMIT;\n")
    assert lint_plan_step(step, transactional=True) == []  # no "BEGIN inside the runner's transaction"
    assert lint_plan_step(step.replace("BEGIN;\n", "").replace("COMMIT;\n", ""), transactional=True) == []
    wrapped = "SET lock_timeout = '500ms';\nBEGIN;\nCREATE INDEX CONCURRENTLY i ON t (a);\nCOMMIT;\n"
    assert [f.rule_id for f in lint_plan_step(wrapped, transactional=True)] == ["ban-concurrently-in-transaction"]
