"""Every format whose tool installs here, run by the real tool on a real database: the seed
document's three examples and an expand/contract type change, applied step by step and rolled
back step by step, with the schema after each step equal to what the plain plan gives.

Flyway, golang-migrate and Atlas do not install from the registries here (Java, Go binaries):
their files are checked by golden files in test_golden.py instead.
"""

from __future__ import annotations

import os

import pytest

from . import harness
from .runners import RUNNERS, Db, ToolFailed, missing

DIALECTS = {"postgres": ["dbmate", "alembic", "django", "rails", "sqitch"],
            "sqlite": ["dbmate", "alembic", "django", "rails", "sqitch"],
            "mysql": ["dbmate", "alembic", "django", "rails", "sqitch"]}
PARAMS = [pytest.param(tool, case, dialect, id=f"{tool}-{case}-{dialect}",
                       marks=[pytest.mark.mariadb] if dialect == "mysql" else [])
          for dialect, tools in DIALECTS.items() for tool in tools for case in harness.CASES]


@pytest.mark.parametrize("tool,case,dialect", PARAMS)
def test_tool_runs_the_plan_step_by_step(tool, case, dialect, tmp_path, request):
    why = missing(tool, dialect)
    if why and os.environ.get("CI"):
        pytest.fail(f"CI must run every tool: {why}")  # .ci/run installs them
    if why:
        pytest.skip(why)
    server = request.getfixturevalue(f"{'pg' if dialect == 'postgres' else dialect}_shadow")
    ref, ref_down = harness.reference(server, case, dialect)
    plan, schema = harness.make_plan(case, dialect)
    with harness.database(server, tool[:6]) as (shadow_db, session):
        harness.load(session, dialect, schema)
        db = Db(dialect, shadow_db.url)
        runner = RUNNERS[tool](tmp_path, db)
        runner.prepare()
        plan_dir = tmp_path / "plan"
        harness.write(plan, tool, runner.out_dir(), plan_dir)
        migrations = [m.model_dump() for m in plan.format.migrations]
        try:
            for step in plan.steps:
                mine = [m for m in migrations if m["step"] == step.number]
                for m in mine:
                    try:
                        runner.up(m)
                    except ToolFailed as exc:
                        # a backfill left to `migsmith backfill`: the tool stops until it ran
                        if m["backfill"] != "migsmith backfill":
                            raise
                        assert "migsmith backfill" in str(exc) or "backfill_pending" in str(exc)
                        harness.backfill(db, plan_dir)
                        runner.up(m)
                harness.same(ref[step.number], harness.snapshot(session),
                             f"{tool} after step {step.number} up")
            for step in reversed(plan.steps):
                before = [m for m in migrations if m["step"] < step.number]
                count = len([m for m in migrations if m["step"] == step.number])
                runner.down(before[-1] if before else None, count)
                harness.same(ref_down[step.number], harness.snapshot(session),
                             f"{tool} after step {step.number} down")
        finally:
            runner.close()
