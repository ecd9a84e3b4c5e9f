"""The shadow round trip grader on a real PostgreSQL (the session server)."""

from __future__ import annotations

import pytest

from migsmith.evals.case import load_cases
from migsmith.evals.runner import RunConfig, run_case

pytestmark = pytest.mark.postgres


def test_round_trip_passes_and_a_protective_stop_is_allowed(pg_server_url):
    pytest.importorskip("migsmith.tools.proving.verify")
    config = RunConfig(verify=True, shadow_url=pg_server_url)
    cases = {c.id: c for c in load_cases()}
    good = run_case(cases["doc-spec-users-email-index"], config)
    grade = next(g for g in good.grades if g["name"] == "shadow_roundtrip")
    assert not grade["skipped"] and grade["passed"], grade["details"]
    # users.name is nullable and the sample rows leave some NULL: the plan stops itself at
    # the precondition before validating, which the case allows
    guarded = run_case(cases["pg-set-not-null"], config)
    grade = next(g for g in guarded.grades if g["name"] == "shadow_roundtrip")
    assert grade["passed"], grade["details"]


def test_a_down_that_does_not_undo_fails_the_round_trip(pg_server_url, tmp_path,
                                                         example_schema_path):
    pytest.importorskip("migsmith.tools.proving.verify")
    from migsmith.evals.graders import shadow_roundtrip
    from migsmith.evals.graders.base import RunOutput
    from migsmith.tools.planning.planner import build_plan
    from migsmith.tools.schema import load_schema
    from migsmith.tools.spec.changespec import parse_spec
    from migsmith.tools.planning.writer import write_plan

    case = {c.id: c for c in load_cases()}["doc-spec-users-email-index"]
    plan = build_plan(parse_spec(open("evals/specs/doc_users_email_index.json").read()),
                      load_schema(str(example_schema_path)))
    write_plan(plan, tmp_path / "plan")
    down = tmp_path / "plan" / plan.steps[0].down_file
    down.write_text("SELECT 1;\n")  # forgets to drop the index
    out = RunOutput(plan=plan, plan_dir=tmp_path / "plan", schema_path=example_schema_path,
                    verify=True, shadow_url=pg_server_url)
    grade = shadow_roundtrip.grade(case, out)
    assert not grade.passed and not grade.skipped, grade.details
