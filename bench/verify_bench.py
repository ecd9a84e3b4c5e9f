"""How long `migsmith verify` takes per example plan, cold and warm.

    .venv/bin/python bench/verify_bench.py [--repeat N] [--rows N]

cold: the `migsmith verify` command in a new process, so Python start-up, imports and a
private PostgreSQL server's start and stop are included (target < 3 s per plan).
warm: ``verify_plan_dir`` in this process against one server started beforehand, as the test
suite and `migsmith eval --verify` use it (target < 1 s per plan).

Each figure is the median of --repeat runs. Both the main plan and its alternative are
verified (on two databases at once), as `migsmith verify` does.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "examples" / "schema.sql"
TARGET_COLD_S, TARGET_WARM_S = 3.0, 1.0


def example_specs() -> list[Path]:
    return [p for p in sorted((ROOT / "evals" / "specs").glob("*.json"))
            if json.loads(p.read_text()).get("options", {}).get("dialect", "postgres")
            == "postgres"]


def make_plan(spec: Path, out: Path) -> Path:
    from migsmith.tools.planning.planner import build_plan
    from migsmith.tools.schema import load_schema
    from migsmith.tools.spec.changespec import parse_spec
    from migsmith.tools.planning.writer import write_plan

    write_plan(build_plan(parse_spec(spec.read_text()), load_schema(str(SCHEMA))), out)
    return out


def cold(plan_dir: Path, rows: int) -> float:
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "migsmith", "verify", str(plan_dir),
                           "--schema", str(SCHEMA), "--rows", str(rows), "--json"],
                          capture_output=True, text=True)
    took = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"verify failed on {plan_dir}:\n{proc.stdout[-2000:]}{proc.stderr}")
    return took


def warm(plan_dir: Path, rows: int, server_url: str) -> float:
    from migsmith.tools.proving.verify import verify_plan_dir

    started = time.perf_counter()
    report = verify_plan_dir(plan_dir, str(SCHEMA), rows=rows, server_url=server_url,
                             write=False, spare_databases=2)
    took = time.perf_counter() - started
    if not report.ok:
        raise SystemExit(f"verify failed on {plan_dir}: {report.summary}")
    return took


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rows", type=int, default=1000)
    args = parser.parse_args(argv)

    from migsmith.tools.proving.shadow.postgres import start_server

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="migsmith-bench-") as tmp:
        plans = [(spec.stem, make_plan(spec, Path(tmp) / spec.stem)) for spec in example_specs()]
        t = time.perf_counter()
        server = start_server()
        start_s = time.perf_counter() - t
        try:
            warm(plans[0][1], args.rows, server.server_url)  # first connection, imports
            rows = []
            for name, plan_dir in plans:
                w = statistics.median(warm(plan_dir, args.rows, server.server_url)
                                      for _ in range(args.repeat))
                c = statistics.median(cold(plan_dir, args.rows) for _ in range(args.repeat))
                rows.append((name, c, w))
        finally:
            server.close()
    print(f"load average (1 min) {load_before:.2f} before, {os.getloadavg()[0]:.2f} after, on "
          f"{os.cpu_count()} CPUs: figures from a busy machine are not the tool's own speed")
    print(f"private server start: {start_s:.2f} s (included in every cold figure)")
    print(f"{'plan':40} {'cold s':>7} {'/3 s':>6} {'warm s':>7} {'/1 s':>6}")
    for name, c, w in rows:
        print(f"{name:40} {c:7.2f} {c / TARGET_COLD_S:6.2f} {w:7.2f} {w / TARGET_WARM_S:6.2f}")
    worst_c, worst_w = max(r[1] for r in rows), max(r[2] for r in rows)
    print(f"worst: cold {worst_c:.2f} s ({'meets' if worst_c < TARGET_COLD_S else 'misses'} "
          f"< {TARGET_COLD_S:.0f} s), warm {worst_w:.2f} s "
          f"({'meets' if worst_w < TARGET_WARM_S else 'misses'} < {TARGET_WARM_S:.0f} s); "
          f"medians of {args.repeat} runs, {args.rows} rows per table")


if __name__ == "__main__":
    main()
