"""Helpers for the hostile-input tests: run the real CLI, and assert the one-line refusal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "examples" / "schema.sql"
SCHEMAS = {"postgres": ROOT / "examples" / "schema.sql",
           "mysql": ROOT / "examples" / "schema_mysql.sql",
           "sqlite": ROOT / "examples" / "schema_sqlite.sql"}


def run(*args, cwd=None, env=None, input=None, timeout=120):
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "migsmith", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd or ROOT, env=full_env,
                          input=input, timeout=timeout)


def write_spec(tmp_path: Path, spec, name: str = "spec.json") -> Path:
    path = tmp_path / name
    path.write_text(spec if isinstance(spec, str) else json.dumps(spec), encoding="utf-8")
    return path


def assert_refused(res, *, code: int = 1, says: str | None = None, out: Path | None = None):
    """Exit ``code``, exactly one line on stderr (no traceback), nothing at ``out``."""
    lines = res.stderr.strip().splitlines()
    assert res.returncode == code, (res.returncode, res.stdout[-2000:], res.stderr[-2000:])
    assert len(lines) == 1, res.stderr[-3000:]
    assert "Traceback" not in res.stderr
    if says is not None:
        assert says.lower() in res.stderr.lower(), res.stderr
    if out is not None:
        assert not out.exists(), sorted(p.name for p in out.rglob("*")) if out.is_dir() else out


def make_plan(spec: dict, out: Path, schema: Path = SCHEMA, dialect: str | None = None) -> Path:
    """A plan directory for ``spec`` against ``schema`` (no verification)."""
    from migsmith.tools.planning.planner import build_plan
    from migsmith.tools.planning.writer import write_plan
    from migsmith.tools.schema import load_schema
    from migsmith.tools.spec.changespec import parse_spec

    plan = build_plan(parse_spec(spec), load_schema(str(schema), dialect or "postgres"))
    write_plan(plan, out)
    return out


def step_path(plan_dir: Path, number: int, direction: str) -> Path:
    plan = json.loads((plan_dir / "plan.json").read_text())
    step = next(s for s in plan["steps"] if s["number"] == number)
    return plan_dir / step[f"{direction}_file"]
