"""Naive migrations vs migsmith's plans, on a real PostgreSQL under client load.

    python -m bench.under_load --rows 100000 --repeat 3
    python -m bench.under_load --rows 1000000 --repeat 3
    python -m bench.under_load --report            # markdown table from bench/results/*.json
    python -m bench.under_load --calibrate         # write your own calibration file

For each case and side: start from a fresh clone of a loaded database (users, posts and
comments with --rows rows each), start --clients client threads of short transactions, measure
a baseline, apply the migration (naive SQL, or the steps of migsmith's plan statement by
statement with lock_timeout retries), keep the clients running a little longer, and measure
duration, throughput, client latency, the longest stall and client errors. Three plans per case,
back to back in each repetition: the naive SQL, an expert's hand-written safe migration
(``bench/experts.py``) and migsmith's plan; each step's own longest stall is recorded, so a
stall can be traced to the statement that made it. The server is Debian's PostgreSQL 15 when
installed (else the pgserver wheel), started in a temp dir on disk, unix socket only; no network.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # `python bench/under_load.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    __package__ = "bench"

import psycopg

from bench.cases import BY_NAME, CASES, Case
from bench.experts import EXPERTS
from bench.metrics import gap_at, median_of, stall_over, window
from bench.pg import DEBIAN_PG15, Server, apply_sql, clone, drop, load_template
from bench.workload import LongReader, Workload

RESULTS = Path(__file__).resolve().parent / "results"
TARGETS = {"max_stall_ms": 250, "p99_ms": 50, "tps_ratio": 0.25, "errors": 0}
WARMUP_S, BASELINE_S, TAIL_S, DEPLOY_DELAY_S, READER_S = 1.0, 3.0, 2.0, 1.0, 10.0


def build(case: Case, rows: int):
    from migsmith.tools.planning.planner import build_plan
    from migsmith.tools.schema import load_ddl
    from migsmith.tools.spec.changespec import parse_spec

    from bench.pg import SCHEMA_SQL

    schema = load_ddl(SCHEMA_SQL.read_text(), "postgres")
    for t in ("users", "posts", "comments"):
        schema.table(t).row_estimate = rows
    schema.table("orgs").row_estimate = 1000
    return build_plan(parse_spec(case.spec, source=case.name), schema)


def run_side(server: Server, template: str, case: Case, side: str, rows: int, clients: int,
             seed: int) -> tuple[dict, list]:
    db = clone(server, template)
    url = server.db_url(db)
    plan = build(case, rows) if side == "migsmith" else None
    wl = Workload(url, clients, rows, seed=seed)
    applied = []
    try:
        wl.start()
        time.sleep(WARMUP_S)
        base0 = time.perf_counter()
        time.sleep(BASELINE_S)
        base1 = time.perf_counter()
        reader = None
        with psycopg.connect(url, autocommit=True,
                             application_name=f"bench {side} migration") as conn:
            if case.long_reader:
                reader = LongReader(url, case.long_reader, READER_S)
                reader.start()
                time.sleep(0.2)
            mig0 = time.perf_counter()
            deployed = not case.new_names

            def deploy():
                nonlocal deployed
                time.sleep(DEPLOY_DELAY_S)  # old code keeps running until the deploy lands
                wl.deploy(case.new_names)
                deployed = True

            if side == "naive":
                for i, sql in enumerate(case.naive):
                    if i > 0 and not deployed:
                        deploy()
                    applied.append(apply_sql(conn, sql, f"naive {i + 1}",
                                             retry_lock_timeout=False))
            elif side == "expert":
                expert = EXPERTS[case.name]
                for i, sql in enumerate(expert.units):
                    if i == expert.deploy_before and not deployed:
                        deploy()
                    applied.append(apply_sql(conn, sql, f"expert {i + 1}",
                                             retry_lock_timeout=True))
            else:
                for step in plan.steps:
                    if step.phase == "contract" and not deployed:
                        deploy()
                    applied.append(apply_sql(conn, step.up_sql, step.slug,
                                             retry_lock_timeout=True))
            if not deployed:
                deploy()
            mig1 = time.perf_counter()
        time.sleep(TAIL_S)
        end = time.perf_counter()
        wl.stop()
        if reader:
            reader.join()
    finally:
        wl.stop()
        drop(server, db)
    txns = wl.txns
    base = window(txns, base0, base1)
    during = window(txns, mig0, mig1)
    # latency: transactions started while the migration ran (blocked ones end after it);
    # stalls and errors: until the end of the tail, so what outlives the DDL counts too
    after = window(txns, mig0, end)
    ends = [t.end for t in txns]
    result = {
        "migration_s": round(sum(a.seconds for a in applied), 3),
        "wall_s": round(mig1 - mig0, 3),
        "baseline_tps": base["tps"],
        "baseline_p99_ms": base["p99_ms"],
        "baseline_max_stall_ms": base["max_stall_ms"],
        "during_tps": during["tps"],
        "tps_ratio": round(during["tps"] / base["tps"], 3) if base["tps"] else None,
        "p50_ms": during["p50_ms"],
        "p99_ms": during["p99_ms"],
        "max_ms": during["max_ms"],
        "max_stall_ms": after["max_stall_ms"],
        "errors": after["errors"],
        "errors_by_sqlstate": after["errors_by_sqlstate"],
        "lock_retries": sum(a.retries for a in applied),
        # the machine is shared: a stall can be CPU starvation, not a lock; this says how busy
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "steps": [{"label": a.label, "seconds": round(a.seconds, 3), "retries": a.retries,
                   "notes": a.notes,
                   # the longest time no client finished a transaction while this step ran
                   "max_stall_ms": round(stall_over(ends, a.started, a.ended, mig0, end) * 1000, 1),
                   # the statement of this step whose run overlaps its longest stall
                   "worst_statement": max(
                       a.units, default=("", 0, 0),
                       key=lambda u: stall_over(ends, u[1], u[2], mig0, end))[0]}
                  for a in applied],
    }
    gap, gap_start = gap_at(ends, mig0, end)
    running = [a.label for a in applied if a.started <= gap_start + gap and a.ended >= gap_start]
    result["max_stall_during"] = running or ["(between steps)"]
    series = [(t.start - mig0, (t.end - t.start) * 1000, t.ok) for t in txns]
    return result, series


SUMMARY_KEYS = ["migration_s", "baseline_tps", "during_tps", "tps_ratio", "p50_ms", "p99_ms",
                "max_ms", "max_stall_ms", "errors", "lock_retries", "baseline_max_stall_ms",
                "load_avg_1m"]


def summarize(runs: list[dict]) -> dict:
    return {k: median_of(runs, k) for k in SUMMARY_KEYS}


def check_targets(m: dict, entry: dict | None = None, rewrites: bool = False) -> dict:
    got = {
        "max_stall_under_250ms": m["max_stall_ms"] is not None and m["max_stall_ms"] < 250,
        "p99_under_50ms": m["p99_ms"] is not None and m["p99_ms"] < 50,
        "tps_at_least_25pct": m["tps_ratio"] is not None and m["tps_ratio"] >= 0.25,
        "zero_errors": m["errors"] == 0,
    }
    vs_expert = (entry or {}).get("ratio_migsmith_over_expert")
    if vs_expert:
        got["within_2x_expert_duration"] = vs_expert["migration_s"] <= 2
        got["within_2x_expert_stall"] = vs_expert["max_stall_ms"] <= 2
    vs_naive = (entry or {}).get("ratio_naive_over_migsmith")
    if vs_naive and rewrites:
        got["stall_at_most_1_50_of_naive"] = (vs_naive["max_stall_ms"] or 0) >= 50
    return got


def ratio(a, b):
    if a is None or b is None:
        return None
    return round(a / b, 2) if b else None


def chart(path: Path, case: str, rows: int, series: dict[str, list], windows: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(len(series), 1, figsize=(10, 3 * len(series)), sharey=True,
                             squeeze=False)
    for ax, side in zip(axes[:, 0], [s for s in SIDES if s in series]):
        pts = series[side]
        ok = [(x, y) for x, y, good in pts if good]
        bad = [(x, y) for x, y, good in pts if not good]
        ax.scatter([p[0] for p in ok], [p[1] for p in ok], s=2, label="client transaction")
        if bad:
            ax.scatter([p[0] for p in bad], [p[1] for p in bad], s=4, c="red", label="error")
        ax.axvspan(0, windows[side], color="orange", alpha=0.2, label="migration running")
        ax.set_yscale("log")
        ax.set_ylabel("latency (ms)")
        ax.set_title(f"{side}: {case}, {rows:,} rows")
        ax.legend(loc="upper right", fontsize=8)
    axes[-1, 0].set_xlabel("seconds since the migration started")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


SIDES = ("naive", "expert", "migsmith")


def run_benchmark(rows: int, clients: int, repeat: int, cases: list[Case], server: Server,
                  out: Path, control_s: float = 0, sides: tuple[str, ...] = SIDES) -> dict:
    t0 = time.time()
    template = load_template(server, rows)
    print(f"[{rows:,} rows] template loaded in {time.time() - t0:.1f} s", flush=True)
    report = {
        "meta": {
            "command": " ".join(["python -m bench.under_load", *sys.argv[1:]]),
            "rows": rows, "clients": clients, "repeat": repeat,
            "code_rev": os.environ.get("MIGSMITH_BENCH_REV", "working tree"),
            "server_settings": server.settings,
            "server": f"PostgreSQL {server.version()} ({server.kind})",
            "sides": list(sides),
            "load_avg_at_start": [round(x, 2) for x in os.getloadavg()],
            "cpus": os.cpu_count(), "python": platform.python_version(),
            "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "timeline_s": {"warmup": WARMUP_S, "baseline": BASELINE_S, "tail": TAIL_S,
                           "deploy_delay": DEPLOY_DELAY_S, "long_reader": READER_S},
            "targets": TARGETS,
        },
        "cases": {},
    }
    if control_s:
        # no migration at all: the longest stall plain load shows over as long as a backfill
        idle = Case("control", f"no migration: SELECT pg_sleep({control_s:g})", {},
                    [f"SELECT pg_sleep({control_s:g});"])
        res, _ = run_side(server, template, idle, "naive", rows, clients, seed=99)
        report["control"] = res
        print(f"  control ({control_s:g} s, no migration): stall {res['max_stall_ms']} ms, "
              f"p99 {res['p99_ms']} ms, tps {res['during_tps']}", flush=True)
    for case in cases:
        entry = {"title": case.title}
        runs = {side: [] for side in sides}
        series_of: dict = {}
        # the sides run back to back within each repetition, so that each ratio compares runs
        # made minutes apart on the same (shared, noisy) machine
        for r in range(repeat):
            for side in sides:
                res, series = run_side(server, template, case, side, rows, clients, seed=r + 1)
                runs[side].append(res)
                series_of.setdefault(side, (series, res["wall_s"]))
                worst = max(res["steps"], key=lambda st: st["max_stall_ms"], default=None)
                print(f"  {case.name:24s} {side:8s} run {r + 1}: migration "
                      f"{res['migration_s']:.2f} s, stall {res['max_stall_ms']} ms"
                      + (f" (in {worst['label'][:32]}: {worst['worst_statement'][:40]})"
                         if worst else "")
                      + f", p99 {res['p99_ms']} ms, tps {res['during_tps']}/"
                      f"{res['baseline_tps']}, errors {res['errors']}, load {res['load_avg_1m']}",
                      flush=True)
        for side in sides:
            entry[side] = {"median": summarize(runs[side]), "runs": runs[side]}
        entry["_series"] = series_of
        if "naive" in sides and "migsmith" in sides:
            n, m = entry["naive"]["median"], entry["migsmith"]["median"]
            entry["ratio_naive_over_migsmith"] = {
                "max_stall_ms": ratio(n["max_stall_ms"], m["max_stall_ms"]),
                "p99_ms": ratio(n["p99_ms"], m["p99_ms"]),
                "migration_s": ratio(n["migration_s"], m["migration_s"]),
            }
        if "expert" in sides and "migsmith" in sides:
            # per repetition, then the median: each ratio is of two runs made back to back
            entry["ratio_migsmith_over_expert"] = {
                key: statistics.median(
                    ratio(m[key], x[key]) or 0 for m, x in zip(runs["migsmith"], runs["expert"]))
                for key in ("migration_s", "max_stall_ms", "p99_ms")}
        if "migsmith" not in sides:
            report["cases"][case.name] = entry
            entry.pop("_series")
            continue
        m = entry["migsmith"]["median"]
        entry["migsmith_targets"] = check_targets(m, entry, case.rewrites)
        series = entry.pop("_series")
        if case.chart:
            png = out / f"latency_{case.name}_{rows}.png"
            chart(png, case.name, rows, {s: series[s][0] for s in series},
                  {s: series[s][1] for s in series})
            entry["chart"] = str(png.relative_to(out.parent.parent))
        report["cases"][case.name] = entry
        out.joinpath(f"under_load_{rows}.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"[{rows:,} rows] done in {time.time() - t0:.0f} s", flush=True)
    return report


def _median(entry: dict, side: str, key: str):
    m = entry[side]["median"]
    return m[key] if m.get(key) is not None else median_of(entry[side]["runs"], key)


def _fmt(v, digits=1):
    if v is None:
        return "-"
    return f"{v:,.{digits}f}" if isinstance(v, float) else f"{v:,}"


def _sides(entry: dict) -> list[str]:
    return [side for side in SIDES if side in entry]


def markdown(reports: list[dict]) -> str:
    """Three tables: every case and side; the ratios (migsmith against the expert's plan and
    the naive one, each from runs made back to back) and targets; how cost grows with rows."""
    reports = sorted(reports, key=lambda r: r["meta"]["rows"])
    out = ["| case | rows | side | migration s | tps before | tps during | p50 ms | p99 ms | "
           "max ms | max stall ms | (baseline stall ms) | client errors | load avg |",
           "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for rep in reports:
        rows = rep["meta"]["rows"]
        for name, entry in rep["cases"].items():
            for side in _sides(entry):
                g = lambda k: _median(entry, side, k)  # noqa: E731
                out.append(f"| {name} | {rows:,} | {side} | {_fmt(g('migration_s'), 2)} | "
                           f"{_fmt(g('baseline_tps'), 0)} | {_fmt(g('during_tps'), 0)} | "
                           f"{_fmt(g('p50_ms'))} | {_fmt(g('p99_ms'))} | {_fmt(g('max_ms'))} | "
                           f"{_fmt(g('max_stall_ms'))} | {_fmt(g('baseline_max_stall_ms'))} | "
                           f"{_fmt(g('errors'), 0)} | {_fmt(g('load_avg_1m'))} |")
    for rep in reports:
        c = rep.get("control")
        if c:
            out.append(f"| control: no migration, {c['wall_s']:.0f} s of load | "
                       f"{rep['meta']['rows']:,} | - | - | {_fmt(c['baseline_tps'], 0)} | "
                       f"{_fmt(c['during_tps'], 0)} | {_fmt(c['p50_ms'])} | {_fmt(c['p99_ms'])} | "
                       f"{_fmt(c['max_ms'])} | {_fmt(c['max_stall_ms'])} | "
                       f"{_fmt(c['baseline_max_stall_ms'])} | {c['errors']} | "
                       f"{_fmt(c.get('load_avg_1m'))} |")
    out += ["", "| case | rows | duration migsmith/expert | max stall migsmith/expert | "
            "max stall naive/migsmith | migsmith targets |", "|---|---:|---:|---:|---:|---|"]
    for rep in reports:
        for name, entry in rep["cases"].items():
            x = entry.get("ratio_migsmith_over_expert") or {}
            r = entry.get("ratio_naive_over_migsmith") or {}
            missed = [k for k, ok in entry.get("migsmith_targets", {}).items() if not ok]
            out.append(f"| {name} | {rep['meta']['rows']:,} | {_fmt(x.get('migration_s'))}x | "
                       f"{_fmt(x.get('max_stall_ms'))}x | {_fmt(r.get('max_stall_ms'))}x | "
                       f"{'all met' if not missed else 'missed: ' + ', '.join(missed)} |")
    if len(reports) > 1:
        lo, hi = reports[0], reports[-1]
        factor = hi["meta"]["rows"] / lo["meta"]["rows"]
        out += ["", f"| case | side | max stall ms at {lo['meta']['rows']:,} -> "
                f"{hi['meta']['rows']:,} rows (x{factor:g} rows) | growth | migration s | growth |",
                "|---|---|---|---:|---|---:|"]
        for name in hi["cases"]:
            if name not in lo["cases"]:
                continue
            for side in _sides(hi["cases"][name]):
                if side not in lo["cases"][name]:
                    continue
                a = _median(lo["cases"][name], side, "max_stall_ms")
                b = _median(hi["cases"][name], side, "max_stall_ms")
                c = _median(lo["cases"][name], side, "migration_s")
                d = _median(hi["cases"][name], side, "migration_s")
                out.append(f"| {name} | {side} | {_fmt(a)} -> {_fmt(b)} | "
                           f"x{_fmt(b / a if a else None)} | {_fmt(c, 2)} -> {_fmt(d, 2)} | "
                           f"x{_fmt(d / c if c else None)} |")
    return "\n".join(out)


CALIBRATION_CASES = ["alter_type_int_bigint", "doc_users_email_index", "doc_rename_created",
                     "set_not_null"]


def derive_constants(report: dict) -> dict[str, float]:
    """The calibration constants (tools/planning/calibration.py) from one benchmark report: each is the
    median over runs of one measured statement under the same client load."""
    rows = report["meta"]["rows"]
    cases = report["cases"]

    def step_seconds(case: str, side: str, pick) -> float:
        return statistics.median(next(s["seconds"] for s in run["steps"] if pick(s["label"]))
                                 for run in cases[case][side]["runs"])

    got = {
        # ALTER COLUMN TYPE int -> bigint rewrites posts and its indexes
        "rewrite_rows_per_s": rows / step_seconds("alter_type_int_bigint", "naive", bool),
        # plain CREATE INDEX users(email) + ANALYZE
        "index_rows_per_s": rows / step_seconds("doc_users_email_index", "naive", bool),
        # a metadata-only statement under load (RENAME COLUMN)
        "ddl_seconds": step_seconds("doc_rename_created", "naive", bool),
        # VALIDATE CONSTRAINT of CHECK (status IS NOT NULL): one scan of posts
        "scan_rows_per_s": rows / step_seconds("set_not_null", "migsmith",
                                               lambda label: "validate" in label),
    }
    case = BY_NAME["alter_type_int_bigint"]
    step = next(s for s in build(case, rows).steps if s.backfill)
    secs = step_seconds(case.name, "migsmith", lambda label: label == step.slug)
    pauses = -(-rows // step.backfill.batch_size) * step.backfill.pause_ms / 1000
    # the batched copy into the bigint shadow column, pauses excluded (estimates add them)
    got["backfill_rows_per_s"] = rows / max(secs - pauses, 1e-3)
    return {k: round(v, 3) if k == "ddl_seconds" else round(v, -3) for k, v in got.items()}


def calibrate(server: Server, rows: int, clients: int, path: Path, out: Path) -> dict:
    """Measure the calibration constants on this machine and write them to ``path``."""
    from migsmith.tools.planning import calibration

    report = run_benchmark(rows, clients, 1, [BY_NAME[c] for c in CALIBRATION_CASES], server,
                           out)
    got = derive_constants(report)
    calibration.write_calibration(path, {"postgres": got})
    return got


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.under_load", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, nargs="+", default=[1_000_000],
                    help="rows in users, posts and comments (one run per value)")
    ap.add_argument("--clients", type=int, default=4, help="concurrent client threads (1-32)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per case and side (median)")
    ap.add_argument("--case", action="append", choices=sorted(BY_NAME),
                    help="run only this case (repeatable)")
    ap.add_argument("--set", action="append", metavar="NAME=VALUE",
                    help="server setting for an experiment (ALTER SYSTEM; repeatable)")
    ap.add_argument("--control", type=float, default=0, metavar="SECONDS",
                    help="first measure plain load with no migration for SECONDS (noise floor)")
    ap.add_argument("--db", help="use this server's maintenance URL instead of starting one")
    ap.add_argument("--pg-bin", type=Path, default=DEBIAN_PG15 if DEBIAN_PG15.is_dir() else None,
                    help="initdb/pg_ctl of the server to start (default: Debian's PostgreSQL 15 "
                         "when installed, else the pgserver wheel's)")
    ap.add_argument("--sides", nargs="+", choices=SIDES, default=list(SIDES),
                    help="which plans to run for each case (default: all three)")
    ap.add_argument("--backfill-cases", action="store_true",
                    help="run only the cases whose plan has a batched backfill")
    ap.add_argument("--parallel", type=int, nargs="+", metavar="WORKERS",
                    help="instead of the cases: the runner's parallel backfill with these "
                         "worker counts (bench/parallel.py)")
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--report", action="store_true",
                    help="print the markdown table of the results in --out and exit")
    ap.add_argument("--constants", action="store_true",
                    help="print the calibration constants derived from the results in --out")
    ap.add_argument("--calibrate", nargs="?", const="", metavar="FILE",
                    help="measure the duration constants and write a calibration file "
                         "(default: $MIGSMITH_CALIBRATION or ~/.config/migsmith/calibration.json)")
    args = ap.parse_args(argv)
    if not 1 <= args.clients <= 32 or not 1 <= args.repeat <= 9:
        ap.error("--clients must be 1-32 and --repeat 1-9")
    if any(r < 1000 or r > 20_000_000 for r in args.rows):
        ap.error("--rows must be between 1,000 and 20,000,000")
    if args.report:
        from bench import parallel

        reports = [json.loads(p.read_text()) for p in sorted(args.out.glob("under_load_*.json"))]
        print(markdown(reports))
        runs = {json.loads(p.read_text())["meta"]["rows"]: json.loads(p.read_text())["runs"]
                for p in sorted(args.out.glob("parallel_*.json"))}
        if runs:
            print("\n" + parallel.markdown(runs))
        return 0
    if args.constants:
        for p in sorted(args.out.glob("under_load_*.json")):
            report = json.loads(p.read_text())
            if all(c in report["cases"] for c in CALIBRATION_CASES):
                print(p.name, json.dumps(derive_constants(report)))
        from bench import parallel

        for p in sorted(args.out.glob("parallel_*.json")):
            print(p.name, json.dumps(parallel.speedups(json.loads(p.read_text())["runs"])))
        return 0
    import signal

    # a `kill` of the benchmark still stops its embedded server (via the finally below)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    settings = dict(item.split("=", 1) for item in args.set or [])
    server = Server(args.db, settings, pg_bin=None if args.db else args.pg_bin)
    try:
        if args.calibrate is not None:
            from migsmith.tools.planning import calibration

            path = Path(args.calibrate) if args.calibrate else calibration.calibration_path()
            import tempfile

            got = calibrate(server, args.rows[0], args.clients, path,
                            Path(tempfile.mkdtemp(prefix="migsmith-calibrate-")))
            print(f"wrote {path}: {json.dumps(got)}")
            return 0
        args.out.mkdir(parents=True, exist_ok=True)
        if args.parallel:
            from bench import parallel

            results = {}
            for rows in args.rows:
                template = load_template(server, rows)
                meta = {"command": " ".join(["python -m bench.under_load", *sys.argv[1:]]),
                        "rows": rows, "clients": args.clients,
                        "server": f"PostgreSQL {server.version()} ({server.kind})",
                        "code_rev": os.environ.get("MIGSMITH_BENCH_REV", "working tree"),
                        "load_avg_at_start": [round(x, 2) for x in os.getloadavg()],
                        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
                runs = parallel.run(server, template, rows, args.parallel, args.clients,
                                    args.repeat)
                results[rows] = runs
                args.out.joinpath(f"parallel_{rows}.json").write_text(
                    json.dumps({"meta": meta, "runs": runs}, indent=2) + "\n")
            print(parallel.markdown(results))
            return 0
        cases = [BY_NAME[c] for c in args.case] if args.case else CASES
        if args.backfill_cases:
            cases = [c for c in cases if c.backfill]
        reports = [run_benchmark(rows, args.clients, args.repeat, cases, server, args.out,
                                 args.control, tuple(s for s in SIDES if s in args.sides))
                   for rows in args.rows]
        print(markdown(reports))
    finally:
        server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
