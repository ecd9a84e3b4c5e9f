"""Plan a spec against one of the committed dependents fixtures and verify it for real."""

from __future__ import annotations

import json
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def plan_and_verify(fixture: str, ops: list[dict], out: Path, server: str | None,
                    dialect: str = "postgres", **options):
    from migsmith.tools.planning.planner import build_plan
    from migsmith.tools.planning.writer import write_plan
    from migsmith.tools.proving.verify import verify_plan_dir
    from migsmith.tools.schema import load_schema
    from migsmith.tools.spec.changespec import parse_spec

    path = FIXTURES / fixture
    spec = {"name": "t", "operations": ops, "options": {"dialect": dialect, **options}}
    plan = build_plan(parse_spec(json.dumps(spec)), load_schema(str(path), dialect))
    write_plan(plan, out)
    report = verify_plan_dir(out, str(path), server_url=server, rows=200, write=False)
    return plan, report


def problems(report) -> str:
    runs = [r for r in (report.plan, report.alternative) if r is not None]
    return "\n".join(f"{r.label}: {p}" for r in runs for p in r.problems())


def sql_of(plan, *, alternative: bool = False) -> str:
    steps = plan.alternative.steps if alternative else plan.steps
    return "\n".join(s.up_sql + s.down_sql for s in steps)


def handled(plan) -> dict[tuple[str, str], tuple[str, list[int]]]:
    return {(d.kind, d.name): (d.handling, d.steps) for d in plan.dependents}
