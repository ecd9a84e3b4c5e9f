"""Agent bench: offline request-to-plan time (in-process and the command) and model turns per
request from the recorded cassettes. Prints each figure and its ratio to the target.

    .venv/bin/python bench/agent_bench.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "examples" / "schema.sql"
CASSETTES = ROOT / "tests" / "agent" / "cassettes"
REQUESTS = [
    "I need to add an email_verified column to users",
    "Rename 'created' column to 'created_at' in posts table",
    "Users query by email is slow, we need an index",
]
TARGET_IN_PROCESS_S = 0.050
TARGET_COMMAND_S = 0.5
TARGET_TURNS = 2.0


def in_process(runs: int) -> dict[str, float]:
    from migsmith.agent.runner import request_to_spec
    from migsmith.tools.planning.planner import build_plan
    from migsmith.tools.schema import load_schema

    schema = load_schema(str(SCHEMA))
    out = {}
    for request in REQUESTS:
        build_plan(request_to_spec(request, schema, model="offline").spec, schema)  # warm up
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            spec = request_to_spec(request, schema, model="offline").spec
            build_plan(spec, schema)
            times.append(time.perf_counter() - started)
        out[request] = statistics.median(times)
    return out


SPEC_BASELINE = ROOT / "evals" / "specs" / "doc_users_email_index.json"


def command(runs: int) -> tuple[dict[str, float], dict[str, float]]:
    """Median wall time and median CPU time (user+sys) of the command, per request.

    On a busy machine wall time is mostly waiting for a core; CPU time is what the command
    itself costs.
    """
    import resource

    exe = Path(sys.executable).with_name("migsmith")
    out, cpu_out = {}, {}
    # The last row runs the same command from a spec file: no agent, the rest of the pipeline.
    for request in [*REQUESTS, None]:
        times, cpu = [], []
        for _ in range(runs):
            with tempfile.TemporaryDirectory() as tmp:
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                started = time.perf_counter()
                what = [request, "--model", "offline"] if request else ["--spec", str(SPEC_BASELINE)]
                proc = subprocess.run([str(exe), "plan", *what, "--schema", str(SCHEMA),
                                       "--out", f"{tmp}/plan", "--no-verify"],
                                      capture_output=True, text=True)
                times.append(time.perf_counter() - started)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
                if proc.returncode != 0:
                    raise SystemExit(f"migsmith plan failed: {proc.stderr.strip()}")
        label = request or f"(baseline, no agent: --spec {SPEC_BASELINE.name})"
        out[label] = statistics.median(times)
        cpu_out[label] = statistics.median(cpu)
    return out, cpu_out


def turns_from_cassettes() -> dict[str, int]:
    return {path.stem: len(yaml.safe_load(path.read_text())["interactions"])
            for path in sorted(CASSETTES.glob("*.yaml"))}


def code_search() -> tuple[float, int, int]:
    """Seconds to search this repository for a common word, files scanned, hits."""
    from migsmith.agent.code_search import _text_files, find_references

    files = sum(1 for _ in _text_files(ROOT))
    started = time.perf_counter()
    hits = find_references("created", ROOT, limit=10_000)
    return time.perf_counter() - started, files, len(hits)


def _row(label: str, value: float, target: float, unit: str) -> str:
    scale = 1000 if unit == "ms" else 1
    return (f"  {label:<58} {value * scale:8.1f} {unit}   {value / target:5.2f}x target "
            f"({target * scale:g} {unit})")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)

    print("offline request -> plan, in-process (median, warm):")
    ip = in_process(max(args.runs * 4, 10))
    for request, seconds in ip.items():
        print(_row(request, seconds, TARGET_IN_PROCESS_S, "ms"))
    cmd, cpu = command(args.runs)
    print("offline `migsmith plan REQUEST --no-verify` command, median wall time:")
    for request, seconds in cmd.items():
        print(_row(request, seconds, TARGET_COMMAND_S, "ms"))
    print("  ... and median CPU time (user+sys; wall time minus waiting for a core):")
    for request, seconds in cpu.items():
        print(_row(request, seconds, TARGET_COMMAND_S, "ms"))
    print(f"  (load average while measuring: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores)")
    seconds, files, hits = code_search()
    print(f"find_code_references over this repository: {seconds * 1000:.0f} ms for {files} "
          f"text files ({hits} lines use 'created'; .git, .venv and the like skipped)")
    print("model turns per request, from the cassettes:")
    turns = turns_from_cassettes()
    for name, n in turns.items():
        print(f"  {name:<58} {n:8d}")
    docs = [n for name, n in turns.items() if name.startswith("doc_")]
    for label, values in (("document examples", docs), ("all cassettes (incl. repair)", list(turns.values()))):
        if values:
            avg = statistics.mean(values)
            print(f"  average, {label:<47} {avg:8.2f}   {avg / TARGET_TURNS:5.2f}x target ({TARGET_TURNS:g})")


if __name__ == "__main__":
    main()
