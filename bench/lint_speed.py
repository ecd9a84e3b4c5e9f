"""Lint start-up and throughput, against squawk in the same run.

    python -m bench.lint_speed [--repeat N] [--files N]

Printed (issue 15, items 5 and 6):

* start-up: whole-process wall time of ``migsmith lint EMPTY.sql`` and ``migsmith --help``
  (median of N runs; target 0.25 s), and what ``python -X importtime`` counts for the lint path;
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
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STARTUP_TARGET_S = 0.25
PLAN_REQUESTS = ["rename created to created_at in posts", "add an index on users email",
                 "make users.name not null", "drop the column legacy from posts"]
RATIO_TARGET = 3.0


def _migsmith() -> list[str]:
    script = Path(sys.executable).parent / "migsmith"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "migsmith"]


def _run(cmd: list[str], **kw) -> tuple[float, float, subprocess.CompletedProcess]:
    """(wall s, CPU s of the child, result)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, **kw)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done


def _median_run(cmd: list[str], repeat: int, **kw) -> tuple[float, float, subprocess.CompletedProcess]:
    runs = [_run(cmd, **kw) for _ in range(repeat)]
    return (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs), runs[-1][2])


def _importtime(cmd: list[str], cwd: str) -> tuple[float, list[tuple[float, str]]]:
    """Total import time (s) of the top-level imports, and the five largest."""
    done = subprocess.run([sys.executable, "-X", "importtime", *cmd], capture_output=True, text=True, cwd=cwd)
    rows = []
    for line in done.stderr.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)", line)
        if m and len(m.group(2)) == 1:  # top level: one space after the bar
            rows.append((int(m.group(1)) / 1e6, m.group(3)))
    return sum(r[0] for r in rows), sorted(rows, reverse=True)[:5]


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (median)")
    parser.add_argument("--files", type=int, default=None, help="at most this many corpus files")
    args = parser.parse_args(argv)
    migsmith = _migsmith()

    with tempfile.TemporaryDirectory(prefix="migsmith-bench-") as tmp:
        empty = Path(tmp) / "empty.sql"
        empty.write_text("")
        env = {**os.environ}
        lint_wall, lint_cpu, done = _median_run([*migsmith, "lint", "--no-config", str(empty)],
                                                args.repeat * 2, cwd=tmp, env=env)
        assert done.returncode == 0, done.stderr
        help_wall, help_cpu, done = _median_run([*migsmith, "--help"], args.repeat * 2, cwd=tmp, env=env)
        assert done.returncode == 0, done.stderr
        imports, biggest = _importtime(["-m", "migsmith", "lint", "--no-config", str(empty)], tmp)
        print("start-up (whole process, median of "
              f"{args.repeat * 2}; target {STARTUP_TARGET_S} s):")
        print(f"  migsmith lint EMPTY.sql  {lint_wall:.3f} s wall  {lint_cpu:.3f} s CPU  "
              f"ratio to target {lint_wall / STARTUP_TARGET_S:.2f}")
        print(f"  migsmith --help          {help_wall:.3f} s wall  {help_cpu:.3f} s CPU  "
              f"ratio to target {help_wall / STARTUP_TARGET_S:.2f}")
        print(f"  python -X importtime, lint path: {imports:.3f} s of imports; largest: "
              + ", ".join(f"{name} {secs * 1000:.0f} ms" for secs, name in biggest))

        files, what = corpus_files(args.files)
        print(f"\nthroughput: one process over {what}")
        names = [str(f) for f in files]
        ours_wall, ours_cpu, done = _median_run(
            [*migsmith, "lint", "--no-config", "--format", "json", *names], args.repeat, cwd=tmp)
        if done.returncode not in (0, 1):
            print(f"  migsmith failed: {done.stderr.strip()[:300]}")
            return 1
        print(f"  migsmith lint   {ours_wall:.3f} s wall  {ours_cpu:.3f} s CPU  "
              f"({len(files) / ours_wall:.0f} files/s, {done.stdout.count(chr(10))} output lines)")
        from migsmith.tools.lint.squawk import find_squawk

        squawk = find_squawk()
        if squawk is None:
            print("  squawk not installed (pip install squawk-cli): no ratio")
            return 0
        theirs_wall, theirs_cpu, done = _median_run(
            [squawk, "--reporter", "json", *names], args.repeat, cwd=tmp)
        print(f"  squawk          {theirs_wall:.3f} s wall  {theirs_cpu:.3f} s CPU  "
              f"({subprocess.run([squawk, '--version'], capture_output=True, text=True).stdout.strip()})")
        print(f"  ratio migsmith/squawk: {ours_wall / theirs_wall:.2f}x wall, {ours_cpu / theirs_cpu:.2f}x CPU "
              f"(target: within {RATIO_TARGET:.0f}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
