"""Start-up of the commands a user and a CI job run most: whole-process wall time and imports.

    python -m bench.startup [--repeat N] [--imports]

Targets (issue 15, item 5): `migsmith --help` and `migsmith lint FILE` under 0.25 s,
`migsmith plan REQUEST --no-verify` on the example schema under 0.4 s. Each command runs N
times as a child process through the installed console script; printed are the median and
the fastest run, the median CPU time of the child (user + system: on a shared, busy machine
the figure least disturbed by the others), the ratios of the wall and CPU medians to the
target, and the same for a bare `python -c pass` in the same sitting (what any Python CLI pays
before its first import). REQUEST is "rename created to created_at in posts", read by the
offline model, planned against examples/schema.sql and written to a fresh directory. With --imports, each command also runs once
under `python -X importtime`: the total import time and the modules that cost most.
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


def _console_script() -> list[str]:
    script = Path(sys.executable).with_name("migsmith")
    return [str(script)] if script.exists() else [sys.executable, "-m", "migsmith"]


def cases(tmp: Path) -> list[tuple[str, list[str], float | None]]:
    empty = tmp / "empty.sql"
    empty.write_text("")
    cli = _console_script()
    return [
        ("python -c pass (interpreter only)", [sys.executable, "-c", "pass"], None),
        ("migsmith --help", [*cli, "--help"], 0.25),
        ("migsmith lint empty.sql", [*cli, "lint", str(empty)], 0.25),
        ("migsmith plan REQUEST --no-verify",
         [*cli, "plan", REQUEST, "--schema", str(SCHEMA), "--model", "offline", "--no-verify",
          "--out", "{out}"], 0.4),
    ]


def timed(cmd: list[str], repeat: int, tmp: Path) -> tuple[list[float], list[float]]:
    """Wall seconds and CPU seconds (user + system, of the child) of each of ``repeat`` runs."""
    walls, cpus = [], []
    for i in range(repeat + 1):  # the first run warms the file cache and .pyc files
        out = tmp / f"plan_{i}"
        args = [a.replace("{out}", str(out)) for a in cmd]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True, env=ENV)
        elapsed = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if i:
            walls.append(elapsed)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        shutil.rmtree(out, ignore_errors=True)
    return walls, cpus


# As a user runs it: bytecode written once and reused (pip compiles it at install; a
# PYTHONDONTWRITEBYTECODE in the environment would make every run compile from source), and
# no API key, so the offline model reads the request.
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
       "ANTHROPIC_API_KEY": ""}
_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def imports(cmd: list[str], tmp: Path, top: int = 8) -> tuple[float, list[tuple[str, float]]]:
    """(total import seconds, the ``top`` costliest top-level imports) from -X importtime."""
    args = [a.replace("{out}", str(tmp / "importtime")) for a in cmd]
    if args[0] != sys.executable:  # the console script: run its module under the flag
        args = [sys.executable, "-m", "migsmith", *args[1:]]
    done = subprocess.run([sys.executable, "-X", "importtime", *args[1:]], capture_output=True,
                          text=True, env=ENV)
    shutil.rmtree(tmp / "importtime", ignore_errors=True)
    rows = []
    for line in done.stderr.splitlines():
        m = _LINE.match(line)
        if m and len(m.group(3)) == 1:  # depth 1: imported by the program itself
            rows.append((m.group(4), int(m.group(2)) / 1e6))
    return sum(s for _, s in rows), sorted(rows, key=lambda r: -r[1])[:top]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--imports", action="store_true",
                        help="also show where each command's import time goes")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    print(f"load average {load:.2f} on {os.cpu_count()} CPUs; {args.repeat} runs each")
    print(f"{'command':46} {'wall median':>11} {'fastest':>8} {'cpu median':>10} "
          f"{'target':>6} {'ratio':>6} {'cpu ratio':>9}")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for name, cmd, target in cases(tmp):
            walls, cpus = timed(cmd, args.repeat, tmp)
            med, best, cpu = statistics.median(walls), min(walls), statistics.median(cpus)
            ratios = (f"{med / target:6.2f} {cpu / target:9.2f}" if target else "")
            print(f"{name:46} {med:11.3f} {best:8.3f} {cpu:10.3f} {target or '':>6} {ratios}")
        if args.imports:
            for name, cmd, _ in cases(tmp)[1:]:
                total, costly = imports(cmd, tmp)
                print(f"\n{name}: {total:.3f} s of imports (python -X importtime); costliest:")
                for module, seconds in costly:
                    print(f"  {seconds * 1000:7.1f} ms  {module}")


if __name__ == "__main__":
    main(sys.argv[1:])
