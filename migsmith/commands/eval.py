"""`migsmith eval`: run the eval cases, grade them, print a summary, write a report."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Optional

import typer

from migsmith.commands._common import err_console, handle_errors, out_console, print_json
from migsmith.tools.errors import MigsmithError


def register(app: typer.Typer) -> None:
    app.command("eval")(eval_command)


@handle_errors
def eval_command(
    model: Annotated[str, typer.Option("--model", help="offline (default) or anthropic.")] = "offline",
    cases: Annotated[Optional[str], typer.Option("--cases", help="Glob of case files, relative "
                                                 "to evals/cases/ (default *.yaml).")] = None,
    requests: Annotated[bool, typer.Option("--requests", help="Also run the agent's request "
                                           "set, evals/requests/*.jsonl (tag: requests).")] = False,
    only: Annotated[Optional[str], typer.Option("--only", help="Comma-separated case ids, tags or "
                                                "dialects (globs allowed).")] = None,
    jobs: Annotated[Optional[int], typer.Option("-j", "--jobs", min=1,
                                                help="Cases run in parallel (processes).")] = None,
    report: Annotated[Optional[Path], typer.Option("--report", help="Write REPORT.md, "
                                                   "results.json and scores.png here.")] = None,
    compare_to: Annotated[Optional[Path], typer.Option("--compare", help="An earlier "
                                                       "results.json: show what changed.")] = None,
    timeout: Annotated[float, typer.Option("--timeout", min=0, help="Seconds one case may run "
                                           "before it is stopped as an error (0: no "
                                           "limit).")] = 300.0,
    verify: Annotated[bool, typer.Option("--verify", help="Also run each plan up, down, up on a "
                                         "shadow database.")] = False,
    shadow_server: Annotated[Optional[str], typer.Option(
        "--shadow-server", help="PostgreSQL server URL to create the shadow databases on (with "
                                "--verify; default: start a private one for the run).")] = None,
    check_threshold: Annotated[bool, typer.Option("--check-threshold", help="Exit 1 when the "
                                                  "score is below the threshold file.")] = False,
    update_threshold: Annotated[bool, typer.Option("--update-threshold", help="Raise "
                                                   "evals/threshold.json to this run's score "
                                                   "(never lowers it).")] = False,
    threshold_file: Annotated[Optional[Path], typer.Option(
        "--threshold", help="Threshold file (default evals/threshold.json).")] = None,
    list_only: Annotated[bool, typer.Option("--list", help="List the selected cases and "
                                            "stop.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print results.json to stdout.")] = False,
) -> None:
    """Run the eval suite: request -> spec -> plan for every case, graded."""
    from migsmith.evals.case import filter_cases, load_cases
    from migsmith.evals.runner import (THRESHOLD_FILE, RunConfig, check_threshold as check,
                                       default_jobs, raise_threshold, read_threshold, run_suite)

    if model not in ("offline", "anthropic") and not model.startswith("anthropic:"):
        raise MigsmithError(f"unknown --model {model!r}: use offline or anthropic")
    if model != "offline" and not os.environ.get("ANTHROPIC_API_KEY"):
        raise MigsmithError("--model anthropic needs ANTHROPIC_API_KEY in the environment")
    if (check_threshold or update_threshold) and model != "offline":
        raise MigsmithError("the threshold is recorded for the offline model; drop --model")
    if update_threshold and (cases or only or requests):
        raise MigsmithError("--update-threshold records the suite's score; drop --cases, "
                            "--only and --requests")
    pool = load_cases(cases)
    if requests:
        from migsmith.evals.case import load_request_cases

        pool += load_request_cases()
    selected = filter_cases(pool, only)
    if not selected:
        raise MigsmithError(f"no case matches --only {only!r}")
    if list_only:
        for case in selected:
            spec = case.spec if isinstance(case.spec, str) else "(inline)"
            what = case.request if case.request is not None else f"spec {spec}"
            out_console.print(f"{case.id:40} {case.dialect:8} {','.join(case.kinds()):28} {what}",
                              markup=False, highlight=False)
        out_console.print(f"{len(selected)} case(s)")
        return
    threshold_path = threshold_file or THRESHOLD_FILE
    threshold = read_threshold(threshold_path) if (check_threshold or update_threshold) else None
    old = None
    if compare_to is not None:
        from migsmith.evals.report import load_results

        old = load_results(compare_to)
    if shadow_server and not verify:
        raise MigsmithError("--shadow-server is for --verify runs; add --verify or drop it")
    if shadow_server:
        # Every case would fail on its own with the same connection error: say it once.
        from migsmith.tools.proving.shadow.postgres import check_server

        check_server(shadow_server)
    config = RunConfig(model=model, verify=verify, shadow_url=shadow_server, timeout_s=timeout)
    suite = _run_with_progress(selected, config, jobs or default_jobs(), run_suite)
    results = suite.to_dict()

    comparison = None
    if old is not None:
        from migsmith.evals.report import compare

        comparison = compare(old, results)
    if report is not None:
        from migsmith.evals.report import write_report

        write_report(results, report, comparison)
    if as_json:
        print_json({**results, **({"comparison": comparison} if comparison else {})})
    else:
        _print_summary(results, comparison, report)

    if update_threshold:
        new = raise_threshold(suite, threshold_path)
        err_console.print(f"{threshold_path}: min_score {new['min_score']:.2f}%, "
                          f"min_pass_rate {new['min_pass_rate']:.2f}%")
    if check_threshold:
        from rich.markup import escape

        problems = check(suite, threshold)
        for p in problems:
            err_console.print(f"[bold red]threshold:[/] {escape(p)}", markup=True)
        if problems:
            raise SystemExit(1)
        err_console.print(f"threshold ok: {suite.score:.2f}% >= {threshold['min_score']:.2f}%")


def _run_with_progress(selected, config, jobs: int, run_suite):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    counts = {"pass": 0, "fail": 0, "error": 0}
    # No auto-refresh thread: worker processes fork from this one, and forking while another
    # thread may hold a lock is asking for a hang. Each finished case redraws the bar.
    with Progress(TextColumn("[bold]eval[/]"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=err_console, transient=True, auto_refresh=False) as progress:
        task = progress.add_task("", total=len(selected))

        def on_result(res):
            counts[res.status] += 1
            progress.update(task, advance=1, description=(
                f"[green]{counts['pass']} pass[/] [red]{counts['fail']} fail[/] "
                f"[yellow]{counts['error']} error[/]"))
            progress.refresh()

        return run_suite(selected, config, jobs=jobs, on_result=on_result)


def _print_summary(results: dict, comparison: dict | None, report: Path | None) -> None:
    from rich.markup import escape
    from rich.table import Table

    c = out_console
    s = results["summary"]
    table = Table(title="cases by dialect", show_header=True, header_style="bold")
    for col in ("dialect", "cases", "score", "pass", "fail", "error"):
        table.add_column(col, justify="left" if col == "dialect" else "right")
    for name, g in results["by_dialect"].items():
        table.add_row(name, str(g["cases"]), f"{g['score']:.1f}%", str(g["passed"]),
                      str(g["failed"]), str(g["errors"]))
    c.print(table)
    kinds = Table(title="cases by operation kind", show_header=True, header_style="bold")
    for col in ("kind", "cases", "score", "pass"):
        kinds.add_column(col, justify="left" if col == "kind" else "right")
    for name, g in results["by_kind"].items():
        kinds.add_row(name, str(g["cases"]), f"{g['score']:.1f}%", f"{g['passed']}/{g['cases']}")
    c.print(kinds)
    tags = results.get("by_tag") or {}
    if tags:
        c.print("by tag: " + ", ".join(f"{name} {g['score']:.1f}% ({g['passed']}/{g['cases']})"
                                       for name, g in tags.items()), highlight=False)
    bad = [x for x in results["cases"] if x["status"] != "pass"]
    for x in bad[:15]:
        why = x.get("error") or "; ".join(f"{g['name']}: {g['details']}" for g in x["grades"]
                                          if not g["passed"] and not g["skipped"])
        colour = "yellow" if x["status"] == "error" else "red"
        c.print(f"[{colour}]{x['status']:5}[/] {escape(x['id'])}: {escape(why[:200])}", markup=True,
                highlight=False)
    if len(bad) > 15:
        c.print(f"... and {len(bad) - 15} more (see the report)")
    if comparison is not None:
        c.print(f"since the earlier run: {len(comparison['better'])} better, "
                f"{len(comparison['worse'])} worse, {len(comparison['new'])} new, "
                f"{len(comparison['removed'])} removed")
        for r in comparison["worse"]:
            c.print(f"  [red]worse[/] {escape(r['id'])}: {r['was']} -> {r['now']}", markup=True)
        for r in comparison["better"]:
            c.print(f"  [green]better[/] {escape(r['id'])}: {r['was']} -> {r['now']}", markup=True)
    c.print(f"[bold]suite score {s['score']:.2f}%[/]: {s['passed']} pass, {s['failed']} fail, "
            f"{s['errors']} error of {s['cases']} cases in {results['duration_s']:.1f} s "
            f"(model {results['model']}, {results['jobs']} job(s))", markup=True)
    if report is not None:
        c.print(f"report: {report / 'REPORT.md'}")
