"""Spec -> plan artifacts: in-process per example spec, and the whole `migsmith plan` command.

    python -m bench.plan_bench [--repeat N]

Targets (issue "Core pipeline"): under 20 ms a plan in-process, under 0.5 s for the command.
In-process time covers what `migsmith plan --no-verify` does after start-up: parse the spec,
check it against the schema, plan, render every step, the markdown and plan.json. The schema is
loaded once (as a long-running process, chat or the agent, would). Each figure is the median
of N runs after one warm-up run.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPECS = sorted((ROOT / "evals" / "specs").glob("*.json"))
SCHEMA = ROOT / "examples" / "schema.sql"
SCHEMAS = {"postgres": SCHEMA, "mysql": ROOT / "examples" / "schema_mysql.sql",
           "sqlite": ROOT / "examples" / "schema_sqlite.sql"}
TARGET_INPROCESS_S = 0.020
TARGET_COMMAND_S = 0.5


def plan_once(spec_text: str, schema) -> int:
    from migsmith.tools.planning.planner import build_plan
    from migsmith.tools.spec.changespec import parse_spec
    from migsmith.tools.planning.writer import plan_files

    plan = build_plan(parse_spec(spec_text), schema)
    return sum(len(v) for v in plan_files(plan).values())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)

    import json

    from migsmith.tools.schema import load_schema

    t0 = time.perf_counter()
    schemas = {d: load_schema(str(p), d) for d, p in SCHEMAS.items()}
    load_s = time.perf_counter() - t0
    print(f"schema load (the three example schemas): {load_s * 1000:.1f} ms")
    print(f"{'spec':42} {'median ms':>10} {'target ms':>10} {'ratio':>7} {'bytes':>8}")
    worst = 0.0
    for spec in SPECS:
        text = spec.read_text()
        schema = schemas[json.loads(text).get("options", {}).get("dialect", "postgres")]
        plan_once(text, schema)  # warm-up: template compilation, imports
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            size = plan_once(text, schema)
            times.append(time.perf_counter() - t)
        med = statistics.median(times)
        worst = max(worst, med)
        print(f"{spec.stem:42} {med * 1000:10.2f} {TARGET_INPROCESS_S * 1000:10.0f} "
              f"{med / TARGET_INPROCESS_S:7.2f} {size:8d}")

    cmd_times = []
    spec = ROOT / "evals" / "specs" / "doc_rename_created.json"
    runs = max(3, args.repeat // 4)
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(runs):
            t = time.perf_counter()
            subprocess.run([sys.executable, "-m", "migsmith", "plan", "--spec", str(spec),
                            "--schema", str(SCHEMA), "--out", f"{tmp}/p{i}", "--no-verify"],
                           check=True, capture_output=True)
            cmd_times.append(time.perf_counter() - t)
    med = statistics.median(cmd_times)
    print(f"\nmigsmith plan --spec doc_rename_created.json --no-verify (whole command, "
          f"median of {runs}): {med:.3f} s; target {TARGET_COMMAND_S} s; ratio "
          f"{med / TARGET_COMMAND_S:.2f}")
    print(f"worst in-process plan: {worst * 1000:.2f} ms; ratio to target "
          f"{worst / TARGET_INPROCESS_S:.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
