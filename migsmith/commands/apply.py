"""`migsmith apply`: run a plan's steps against a database the user names, one step at a time,
keeping its place.

Statements go one by one (as psql -f, the mysql client and the sqlite3 shell send them),
transactions come from the step files themselves, and on PostgreSQL a statement that hits
lock_timeout is retried with backoff instead of failing the deploy. Each applied step is
recorded in ``migsmith_history`` in the target database (tools/running/history.py), and apply
refuses a step whose predecessor has not run or whose file changed since it ran, and stops
before a step that waits for a code deploy unless told ``--through-deploy``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from migsmith.commands._common import err_console, handle_errors, out_console
from migsmith.tools.errors import MigsmithError, PlanError
from migsmith.tools.userfiles import read_text


def register(app: typer.Typer) -> None:
    app.command("apply")(apply_command)


@handle_errors
def apply_command(
    plan_dir: Annotated[Path, typer.Argument(help="A plan directory written by migsmith plan.")],
    db: Annotated[str, typer.Option("--db", help="The database to change (PostgreSQL, "
                                    "mysql:// or sqlite:/// URL).")],
    steps: Annotated[Optional[str], typer.Option("--steps", help="Which steps, e.g. 1-3 or 4 "
                                                 "(default: all, in order).")] = None,
    down: Annotated[bool, typer.Option("--down", help="Run the down files of those steps, in "
                                       "reverse order.")] = False,
    through_deploy: Annotated[bool, typer.Option(
        "--through-deploy", help="Run past a step whose deploy note says new code must ship "
        "first (once it has).")] = False,
    retries: Annotated[int, typer.Option("--retries", help="Retries per statement on "
                                         "lock_timeout (PostgreSQL).")] = 8,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print what would run.")] = False,
) -> None:
    """Apply (or roll back) a plan's steps on the database given with --db."""
    from migsmith.tools.running import history as H

    plan = load_plan(plan_dir)
    dialect = plan.get("dialect", "postgres")
    if H.url_dialect(db) != dialect:
        raise MigsmithError(f"the plan is for {dialect} but --db is a {H.url_dialect(db)} URL")
    all_steps = plan["steps"]
    chosen = select(all_steps, steps)
    if down:
        chosen = list(reversed(chosen))
    files = {}
    for step in all_steps:
        path = plan_dir / step["up_file"]
        if not path.is_file():
            raise PlanError(f"{path} is missing")
        files[step["number"]] = path
    digests = {n: H.checksum(read_text(p, "step file", PlanError)) for n, p in files.items()}
    if dry_run:
        for step in chosen:
            name = step["down_file" if down else "up_file"]
            out_console.print(f"would run step {step['number']}: {plan_dir / name}",
                              markup=False)
        return

    from migsmith.tools.running.executor import run_step

    conn = H.connect(dialect, db)
    try:
        hist = H.History(dialect, conn, plan["name"])
        with hist.lock():
            hist.ensure()
            applied = hist.applied()
            H.check_changed(all_steps, applied, digests)
            ran = 0
            for step in chosen:
                number = step["number"]
                if down:
                    if number not in applied:
                        out_console.print(f"step {number}: not applied, nothing to roll back")
                        continue
                    H.check_down(step, all_steps, applied)
                else:
                    if number in applied:
                        done = applied[number]
                        out_console.print(f"step {number}: already applied "
                                          f"{done.applied_at[:19]} by {done.applied_by}",
                                          markup=False)
                        continue
                    try:
                        H.check_up(step, all_steps, applied, through_deploy=through_deploy,
                                   ran_now=ran > 0)
                    except H.DeployPoint as stop:
                        err_console.print(str(stop), style="bold yellow", markup=False)
                        return
                path = plan_dir / step["down_file" if down else "up_file"]
                out_console.print(f"step {number}: {step['title']} ({path.name})", markup=False)
                sql = read_text(path, "step file", PlanError)
                results, took = H.timed(lambda: run_step(dialect, conn, sql, file=str(path),
                                                         retries=retries))
                if down:
                    hist.forget(number)
                    applied.pop(number, None)
                else:
                    hist.record(number, step["up_file"], digests[number], took)
                    applied[number] = H.Applied(number, step["up_file"], digests[number], "now",
                                                "", int(took * 1000))
                ran += 1
                waited = sum(r.attempts - 1 for r in results)
                extra = f", {waited} lock-timeout retries" if waited else ""
                out_console.print(f"  done in {took:.2f} s{extra}")
                if not down and step.get("deploy_note"):
                    err_console.print(f"  next: {step['deploy_note']}", style="dim", markup=False)
    finally:
        conn.close()


def load_plan(plan_dir: Path) -> dict:
    from migsmith.tools.userfiles import load_json

    path = plan_dir / "plan.json"
    if not path.is_file():
        raise PlanError(f"{plan_dir} is not a plan directory (no plan.json)")
    plan = load_json(read_text(path, "plan file", PlanError), str(path), PlanError)
    if not isinstance(plan, dict) or not isinstance(plan.get("steps"), list):
        raise PlanError(f"{path} is not a migsmith plan (no list of steps)")
    return plan


def select(steps: list[dict], spec: str | None) -> list[dict]:
    if not spec:
        return list(steps)
    numbers: set[int] = set()
    for part in spec.split(","):
        lo, _, hi = part.strip().partition("-")
        if not lo.isdigit() or (hi and not hi.isdigit()):
            raise MigsmithError(f"--steps expects numbers like 2 or 1-3, got {spec!r}")
        if int(hi or lo) < int(lo):
            raise MigsmithError(f"--steps {part.strip()} runs backwards: write the lower step "
                                f"first ({hi}-{lo}), and add --down to roll back")
        numbers.update(range(int(lo), int(hi or lo) + 1))
    known = {s["number"] for s in steps}
    missing = sorted(numbers - known)
    if missing:
        raise MigsmithError(f"the plan has no step {missing[0]} (steps 1-{max(known)})")
    return [s for s in steps if s["number"] in numbers]
