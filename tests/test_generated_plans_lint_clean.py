"""Every PostgreSQL plan migsmith generates lints clean, under its own linter and under Squawk.

What is allowed, and why: type-taste rules (the plan keeps the types the user asked for), and
on down steps the drop rules (undoing an addition is dropping it). Findings a step intends are
named in the step itself (a `Lint:` comment with the reason, plus squawk-ignore /
migsmith:disable directives), so they are visible to anyone reading the file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from migsmith.tools.lint import DOWN_STEP_EXPECTED_RULES, TASTE_RULES, lint_sql
from migsmith.tools.lint.squawk import find_squawk, run_squawk
from migsmith.tools.planning.optable import SAMPLES
from migsmith.tools.planning.planner import build_plan
from migsmith.tools.schema import load_schema
from migsmith.tools.spec.changespec import parse_spec

ROOT = Path(__file__).resolve().parent.parent
SQUAWK_TASTE = {"prefer-bigint-over-int", "prefer-bigint-over-smallint", "prefer-text-field",
                "prefer-timestamp-tz", "prefer-robust-stmts", "prefer-identity", "ban-char-field"}
SQUAWK_DROPS = {"ban-drop-column", "ban-drop-table", "ban-drop-function", "ban-drop-view",
                "ban-drop-constraint", "ban-drop-default", "ban-drop-not-null",
                "renaming-column", "renaming-table"}


def _cases():
    cases = []
    for path in sorted((ROOT / "evals" / "specs").glob("*.json")):
        data = json.loads(path.read_text())
        if data.get("options", {}).get("dialect", "postgres") == "postgres":
            cases.append((path.stem, data))
    for i, (op, options) in enumerate(SAMPLES):
        cases.append((f"{op['op']}-{i}", {"operations": [op], "options": options}))
    return cases


def _files(name, data):
    plan = build_plan(parse_spec(data), load_schema(str(ROOT / "examples" / "schema.sql")))
    if plan.strategy == "downtime":
        pytest.skip("a maintenance-window plan takes blocking locks on purpose")
    for step in plan.steps:
        yield f"{name} step {step.number} up", step.up_sql, "up"
        yield f"{name} step {step.number} down", step.down_sql, "down"


@pytest.mark.parametrize("name,data", _cases(), ids=[c[0] for c in _cases()])
def test_migsmith_lint_clean(name, data):
    problems = []
    for where, sql, direction in _files(name, data):
        skip = set(TASTE_RULES) | (set(DOWN_STEP_EXPECTED_RULES) if direction == "down" else set())
        for f in lint_sql(sql, filename=where, exclude=skip):
            problems.append(f"{where}: {f.rule_id}: {f.message}")
    assert not problems, "\n".join(problems)


@pytest.mark.skipif(find_squawk() is None, reason="squawk-cli is not installed")
@pytest.mark.parametrize("name,data", _cases(), ids=[c[0] for c in _cases()])
def test_squawk_clean(name, data):
    problems = []
    for where, sql, direction in _files(name, data):
        skip = SQUAWK_TASTE | (SQUAWK_DROPS if direction == "down" else set())
        for f in run_squawk(sql, pg_version=14, exclude=skip):
            problems.append(f"{where}: {f['rule']}: {f['message']}")
    assert not problems, "\n".join(problems)
