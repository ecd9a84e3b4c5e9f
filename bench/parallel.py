"""Parallel backfill under load: migsmith's runner with 1, 2, 4 ... workers over disjoint key
ranges (one shared throttle), while the benchmark's clients run.

    python -m bench.under_load --rows 1000000 --parallel 1 2 4

The backfill is the integer -> bigint case's copy into the shadow column (posts.views_new, the
sync trigger firing on every row): the expand step runs first, then the runner. Reported per
worker count: rows/s of the backfill, the speed-up over one worker, and the clients' p99
latency, longest stall and errors while it ran, with the load average beside them.
"""

from __future__ import annotations

import os
import time

import psycopg

from bench.cases import BY_NAME
from bench.metrics import window
from bench.pg import Server, apply_sql, clone, drop
from bench.workload import Workload

CASE = "alter_type_int_bigint"


def run_workers(server: Server, template: str, rows: int, workers: int, clients: int,
                seed: int = 1) -> dict:
    from bench.under_load import BASELINE_S, TAIL_S, WARMUP_S, build
    from migsmith.tools.running.backfill import (Job, Runner, Settings, run_parallel,
                                                split_ranges)

    plan = build(BY_NAME[CASE], rows)
    expand = plan.steps[0]
    step = next(s for s in plan.steps if s.backfill)
    db = clone(server, template)
    url = server.db_url(db)
    wl = Workload(url, clients, rows, seed=seed)
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            apply_sql(conn, expand.up_sql, expand.slug, retry_lock_timeout=True)
        wl.start()
        time.sleep(WARMUP_S)
        base0 = time.perf_counter()
        time.sleep(BASELINE_S)
        base1 = time.perf_counter()
        job = Job(step=step.number, plan=step.backfill)
        settings = Settings(lock_timeout_ms=step.backfill.lock_timeout_ms, workers=workers)
        t0 = time.perf_counter()
        with psycopg.connect(url, autocommit=True) as conn:
            runner = Runner(conn, job, settings)
            ranges = split_ranges(conn, runner.bf, runner.start_point(), workers)
            if len(ranges) == 1:
                done = [runner.run(ranges[0])]
            else:
                done = run_parallel(url, job, settings, ranges)
        t1 = time.perf_counter()
        time.sleep(TAIL_S)
        end = time.perf_counter()
        wl.stop()
    finally:
        wl.stop()
        drop(server, db)
    base = window(wl.txns, base0, base1)
    during = window(wl.txns, t0, t1)
    after = window(wl.txns, t0, end)
    seconds = t1 - t0
    updated = sum(p.rows_updated for p in done)
    return {
        "workers": workers, "seconds": round(seconds, 2), "rows_updated": updated,
        "rows_per_s": round(updated / seconds) if seconds else None,
        "batches": sum(p.batches for p in done), "throttled": sum(p.throttled for p in done),
        "retries": sum(p.retries for p in done),
        "baseline_tps": base["tps"], "baseline_p99_ms": base["p99_ms"],
        "during_tps": during["tps"], "p99_ms": during["p99_ms"],
        "max_stall_ms": after["max_stall_ms"], "errors": after["errors"],
        "load_avg_1m": round(os.getloadavg()[0], 2),
    }


def run(server: Server, template: str, rows: int, worker_counts: list[int], clients: int,
        repeat: int = 1) -> list[dict]:
    out = []
    for r in range(repeat):
        for n in worker_counts:
            res = run_workers(server, template, rows, n, clients, seed=r + 1)
            res["run"] = r + 1
            out.append(res)
            print(f"  parallel backfill {rows:,} rows, {n} worker(s), run {r + 1}: "
                  f"{res['seconds']} s, {res['rows_per_s']:,} rows/s, p99 {res['p99_ms']} ms, "
                  f"stall {res['max_stall_ms']} ms, errors {res['errors']}, "
                  f"load {res['load_avg_1m']}", flush=True)
    return out


def markdown(results: dict[int, list[dict]]) -> str:
    """rows -> runs: one line per (rows, workers), the median over repetitions, and the
    speed-up against one worker at the same size."""
    import statistics

    lines = ["| rows | workers | backfill s | rows/s | speed-up vs 1 worker | client p99 ms | "
             "max stall ms | client errors | load avg |", "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for rows, runs in sorted(results.items()):
        by = {}
        for res in runs:
            by.setdefault(res["workers"], []).append(res)
        one = statistics.median(r["rows_per_s"] for r in by.get(1, [])) if 1 in by else None
        for n, rs in sorted(by.items()):
            med = lambda k: statistics.median(r[k] for r in rs if r[k] is not None)  # noqa: E731
            rate = med("rows_per_s")
            lines.append(f"| {rows:,} | {n} | {med('seconds'):.1f} | {rate:,.0f} | "
                         f"{(rate / one) if one else 0:.2f}x | {med('p99_ms'):.1f} | "
                         f"{med('max_stall_ms'):.1f} | {med('errors'):.0f} | "
                         f"{med('load_avg_1m'):.1f} |")
    return "\n".join(lines)


def speedups(runs: list[dict]) -> dict[str, float]:
    """The calibration constants of one parallel report: median rows/s of N workers over the
    median of one worker (tools/planning/calibration.py: backfill_speedup_<N>_workers)."""
    import statistics

    by: dict[int, list[float]] = {}
    for r in runs:
        by.setdefault(r["workers"], []).append(r["rows_per_s"])
    one = statistics.median(by[1]) if 1 in by else None
    return {f"backfill_speedup_{n}_workers": round(statistics.median(v) / one, 2)
            for n, v in sorted(by.items()) if one and n in (2, 4)}
