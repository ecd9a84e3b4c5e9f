"""Start-up of the commands a user and a CI job run most: whole-process time and imports.

    python -m bench.startup [--repeat N]

Targets (issue 15, item 5): `migsmith --help` and `migsmith lint FILE` under 0.25 s,
`migsmith plan REQUEST --no-verify` on the example schema under 0.4 s. Each command runs N
times (after one warm-up run) as a child process through the installed console script, as a
user runs it: bytecode written once and reused (pip compiles it at install; this machine's
PYTHONDONTWRITEBYTECODE would make every run compile from source), no API key (the offline
model reads the request). REQUEST is "rename created to created_at in posts", planned against
examples/schema.sql and written to a fresh directory.

Printed per command: the median and the fastest wall time, the median CPU time of the child
(user + system: on a shared, busy machine the figure least disturbed by the others), the
ratios of the wall and CPU medians to the target, the same for a bare `python -c pass` in the
same sitting (what any Python program pays before its first import), and what
`python -X importtime` counts for the command's imports with the costliest of them.
`python -m bench.lint_speed` prints this too, beside the lint throughput against squawk.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "examples" / "schema.sql"
REQUEST = "rename created to created_at in posts"
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
       "ANTHROPIC_API_KEY": ""}


def migsmith() -> list[str]:
    """The installed console script (else ``python -m migsmith``)."""
    script = Path(sys.executable).with_name("migsmith")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "migsmith"]


def run_timed(cmd: list[str], **kw) -> tuple[float, float, subprocess.CompletedProcess]:
    """(wall seconds, CPU seconds of the child, the finished process)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, **kw)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, done


_IMPORT = re.compile(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)")


def importtime(args: list[str], cwd: str | Path, top: int = 5) -> tuple[float, list[tuple[float, str]]]:
    """Seconds of the top-level imports of ``python -X importtime ARGS``, and the largest."""
    done = subprocess.run([sys.executable, "-X", "importtime", *args], capture_output=True,
                          text=True, cwd=cwd, env=ENV)
    rows = [(int(m.group(1)) / 1e6, m.group(3)) for m in map(_IMPORT.match, done.stderr.splitlines())
            if m and len(m.group(2)) == 1]  # one space after the bar: imported by the program
    return sum(r[0] for r in rows), sorted(rows, reverse=True)[:top]


def cases(tmp: Path) -> list[tuple[str, list[str], float | None]]:
    empty = tmp / "empty.sql"
    empty.write_text("")
    return [
        ("python -c pass (the interpreter alone)", [sys.executable, "-c", "pass"], None),
        ("migsmith --help", ["--help"], 0.25),
        ("migsmith lint EMPTY.sql", ["lint", "--no-config", str(empty)], 0.25),
        ("migsmith plan REQUEST --no-verify", ["plan", REQUEST, "--schema", str(SCHEMA),
                                               "--no-verify", "--out", "{out}"], 0.4),
    ]


def report(repeat: int = 7) -> None:
    print(f"start-up: {repeat} runs each after a warm-up; load average "
          f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(f"  {'command':40} {'wall median':>11} {'fastest':>8} {'CPU median':>10} "
          f"{'target':>6} {'ratio':>6} {'CPU ratio':>9}")
    with tempfile.TemporaryDirectory(prefix="migsmith-startup-") as name:
        tmp = Path(name)
        rows = cases(tmp)
        for label, args, target in rows:
            cmd = args if target is None else [*migsmith(), *args]
            walls, cpus = [], []
            for i in range(repeat + 1):
                out = tmp / f"plan{i}"
                wall, cpu, done = run_timed([a.replace("{out}", str(out)) for a in cmd],
                                            cwd=tmp, env=ENV)
                if done.returncode != 0:
                    raise SystemExit(f"{label} failed: {done.stderr.strip()[-300:]}")
                shutil.rmtree(out, ignore_errors=True)
                if i:  # the first run warms the file cache and writes the bytecode
                    walls.append(wall)
                    cpus.append(cpu)
            med, cpu = statistics.median(walls), statistics.median(cpus)
            ratios = f"{med / target:6.2f} {cpu / target:9.2f}" if target else ""
            print(f"  {label:40} {med:11.3f} {min(walls):8.3f} {cpu:10.3f} "
                  f"{target or '':>6} {ratios}")
        for label, args, target in rows[1:]:
            total, biggest = importtime(["-m", "migsmith", *[a.replace("{out}", str(tmp / "it"))
                                                             for a in args]], tmp)
            shutil.rmtree(tmp / "it", ignore_errors=True)
            print(f"  {label}: {total:.3f} s of imports (python -X importtime); largest: "
                  + ", ".join(f"{n} {s * 1000:.0f} ms" for s, n in biggest))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs per command (median)")
    args = parser.parse_args(argv)
    report(args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
