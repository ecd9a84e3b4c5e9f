"""Lint start-up and throughput, against squawk in the same run.

    python -m bench.lint_speed [--repeat N] [--files N] [--findings-out FILE] [--same-findings FILE]

Printed (issue 15, items 5 and 6):

* start-up (``bench/startup.py``): whole-process wall and CPU time of ``migsmith --help``,
  ``migsmith lint EMPTY.sql`` (target 0.25 s) and ``migsmith plan --no-verify`` (0.4 s), and
  what ``python -X importtime`` counts for each;
* throughput: one ``migsmith lint --format json`` process over the real migration corpus
  (``evals/corpus/migrations``, tune split, at least 1,000 files) and one ``squawk --reporter
  json`` process over the same files (squawk-cli is a dev dependency), median of N runs, wall
  and CPU seconds (squawk uses several threads), and the ratios (target: within 3x).

Without the corpus on the machine it says so and uses the squawk/eugene peer corpora
(``shared/peers``) plus the plans migsmith generates for its own examples.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.startup import migsmith as _migsmith
from bench.startup import report as startup_report
from bench.startup import ENV as STARTUP_ENV
from bench.startup import run_timed

ROOT = Path(__file__).resolve().parents[1]
PLAN_REQUESTS = ["rename created to created_at in posts", "add an index on users email",
                 "make users.name not null", "drop the column legacy from posts"]
RATIO_TARGET = 3.0


def _median_run(cmd: list[str], repeat: int, **kw) -> tuple[float, float, subprocess.CompletedProcess]:
    runs = [run_timed(cmd, **kw) for _ in range(repeat)]
    return (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs), runs[-1][2])


def corpus_files(limit: int | None) -> tuple[list[Path], str]:
    """The real migration files on this machine (tune split), else the fallback set."""
    try:
        from migsmith.evals import realworld

        entries = [e for e in realworld.entries("migrations")
                   if e["split"] == "tune" and e["path"].lower().endswith(".sql")]
    except (ImportError, FileNotFoundError):
        entries = []
    found = [p for p in (realworld.locate(e) for e in entries) if p is not None] if entries else []
    if len(found) >= 1000:
        return found[:limit] if limit else found, (
            f"evals/corpus/migrations, tune split: {len(found[:limit] if limit else found)} files")
    note = (f"the migration corpus is not on this machine ({len(found)} of {len(entries)} tune files; "
            "python -m migsmith.evals.realworld extract migrations): using the peer corpora and "
            "generated plans instead")
    from migsmith.tools.lint.peers import find_peers_dir

    files: list[Path] = []
    peers = find_peers_dir(ROOT)
    if peers is not None:
        files += sorted(peers.rglob("*.sql"))
    plans = Path(tempfile.mkdtemp(prefix="migsmith-bench-plans-"))
    for n, request in enumerate(PLAN_REQUESTS):
        subprocess.run([*_migsmith(), "plan", request, "--schema", str(ROOT / "examples" / "schema.sql"),
                        "--out", str(plans / f"p{n}"), "--no-verify", "--model", "offline"],
                       capture_output=True, text=True)
    files += sorted(plans.rglob("*.sql"))
    return files[:limit] if limit else files, f"{note}: {len(files)} files"


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (median)")
    parser.add_argument("--files", type=int, default=None, help="at most this many corpus files")
    parser.add_argument("--findings-out", type=Path, metavar="FILE",
                        help="write migsmith's JSON output over the corpus here")
    parser.add_argument("--same-findings", type=Path, metavar="FILE",
                        help="fail unless migsmith's JSON output is byte for byte this file")
    args = parser.parse_args(argv)
    migsmith = _migsmith()
    expected = args.same_findings.read_text() if args.same_findings else None
    startup_report(args.repeat * 2)

    with tempfile.TemporaryDirectory(prefix="migsmith-bench-") as tmp:
        # children keep a bytecode cache, as an installed migsmith has (bench/startup's ENV)
        env = {**STARTUP_ENV, "PYTHONPYCACHEPREFIX": str(Path(tmp) / "pycache")}
        print(f"load average (1, 5, 15 min): {_load()}")
        files, what = corpus_files(args.files)
        print(f"\nthroughput: one process over {what}")
        names = [str(f) for f in files]
        from migsmith.tools.lint.squawk import find_squawk

        squawk = find_squawk()
        if squawk is None:
            print("  squawk not installed (pip install squawk-cli): no ratio")
        else:
            theirs_wall, theirs_cpu, done = _median_run(
                [squawk, "--reporter", "json", *names], args.repeat, cwd=tmp)
            version = subprocess.run([squawk, "--version"], capture_output=True, text=True).stdout.strip()
            print(f"  squawk                    {theirs_wall:.3f} s wall  {theirs_cpu:.3f} s CPU  ({version})")
        same = True
        for label, jobs in (("migsmith lint", []), ("migsmith lint --jobs 1", ["--jobs", "1"])):
            ours_wall, ours_cpu, done = _median_run(
                [*migsmith, "lint", "--no-config", "--format", "json", *jobs, *names], args.repeat,
                cwd=tmp, env=env)
            if done.returncode not in (0, 1):
                print(f"  migsmith failed: {done.stderr.strip()[:300]}")
                return 1
            print(f"  {label:25} {ours_wall:.3f} s wall  {ours_cpu:.3f} s CPU  "
                  f"({len(files) / ours_wall:.0f} files/s, {done.stdout.count(chr(10))} output lines)")
            if squawk is not None:
                print(f"    ratio to squawk: {ours_wall / theirs_wall:.2f}x wall, {ours_cpu / theirs_cpu:.2f}x CPU "
                      f"(target: within {RATIO_TARGET:.0f}x)")
            if args.findings_out and not jobs:
                args.findings_out.write_text(done.stdout)
                print(f"    findings written to {args.findings_out}")
            if expected is not None and done.stdout != expected:
                same = False
                print(f"    FINDINGS DIFFER from {args.same_findings}")
        print(f"load average (1, 5, 15 min): {_load()}")
        if expected is not None:
            if not same:
                return 1
            print(f"findings: byte for byte the same as {args.same_findings}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
