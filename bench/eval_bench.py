"""Wall time of the whole offline eval suite with one worker and with two, and their ratio.

    .venv/bin/python bench/eval_bench.py [--repeat N]

Each setting runs the suite N times (default 2) after one warm-up run and keeps the fastest
run, so a busy machine inflates the figures less. The ratio is the -j 1 time over the -j 2
time: 2.0 would be a perfect split over two cores.
"""

from __future__ import annotations

import argparse
import os
import time


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children: unlike wall time, it does not
    grow when other work shares the machine."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)

    from migsmith.evals.case import load_cases
    from migsmith.evals.runner import RunConfig, run_suite

    cases = load_cases()
    config = RunConfig()
    run_suite(cases, config, jobs=1)  # warm-up: imports, template and parser caches

    best: dict[int, float] = {}
    score = None
    for jobs in (1, 2):
        times, cpu = [], []
        for _ in range(args.repeat):
            started, cpu_started = time.perf_counter(), _cpu_seconds()
            suite = run_suite(cases, config, jobs=jobs)
            times.append(time.perf_counter() - started)
            cpu.append(_cpu_seconds() - cpu_started)
            if score is not None and suite.score != score:
                print(f"warning: score changed between runs ({score} -> {suite.score})")
            score = suite.score
        best[jobs] = min(times)
        print(f"-j {jobs}: {best[jobs]:.2f} s for {len(cases)} cases "
              f"({1000 * best[jobs] / len(cases):.0f} ms per case; runs: "
              + ", ".join(f"{t:.2f}" for t in times)
              + f"; CPU {min(cpu):.2f} s in this process and its workers)")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"speed-up -j 2 over -j 1: {best[1] / best[2]:.2f}x on {os.cpu_count()} CPU(s) "
          f"(load average {load}: other work on the machine shrinks it); "
          f"suite score {score:.2f}%")


if __name__ == "__main__":
    main()
