"""`migsmith apply`: run a plan's steps against a database the user names, one step at a time.

Statements go one by one (as psql -f sends them), transactions come from the step files
themselves, and a statement that hits lock_timeout is retried with backoff instead of failing
the deploy, which is how a short lock_timeout stays safe under live traffic.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from migsmith.commands._common import err_console, handle_errors, out_console
from migsmith.tools.errors import MigsmithError, PlanError


def register(app: typer.Typer) -> None:
    app.command("apply")(apply_command)


@handle_errors
def apply_command(
    plan_dir: Annotated[Path, typer.Argument(help="A plan directory written by migsmith plan.")],
    db: Annotated[str, typer.Option("--db", help="The database to change (PostgreSQL URL).")],
    steps: Annotated[Optional[str], typer.Option("--steps", help="Which steps, e.g. 1-3 or 4 "
                                                 "(default: all, in order).")] = None,
    down: Annotated[bool, typer.Option("--down", help="Run the down files of those steps, in "
                                       "reverse order.")] = False,
    retries: Annotated[int, typer.Option("--retries", help="Retries per statement on "
                                         "lock_timeout.")] = 8,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print what would run.")] = False,
) -> None:
    """Apply (or roll back) a plan's steps on the database given with --db."""
    plan = _load_plan(plan_dir)
    if plan.get("dialect", "postgres") != "postgres":
        raise MigsmithError("migsmith apply runs PostgreSQL plans; apply MySQL and SQLite "
                            "plans with the database's own client, step by step")
    chosen = _select(plan["steps"], steps)
    if down:
        chosen = list(reversed(chosen))
    files = []
    for step in chosen:
        name = step["down_file" if down else "up_file"]
        path = plan_dir / name
        if not path.is_file():
            raise PlanError(f"{path} is missing")
        files.append((step, path))
    if dry_run:
        for step, path in files:
            out_console.print(f"would run step {step['number']}: {path}", markup=False)
        return

    import psycopg

    from migsmith.tools.running.executor import apply_step_sql
    from migsmith.tools.userfiles import read_text

    try:
        conn = psycopg.connect(db, autocommit=True)
    except psycopg.Error as exc:
        raise MigsmithError(f"cannot connect to --db: {str(exc).strip().splitlines()[0]}") from None
    with conn:
        for step, path in files:
            out_console.print(f"step {step['number']}: {step['title']} ({path.name})",
                              markup=False)
            results = apply_step_sql(conn, read_text(path, "step file", PlanError), file=str(path),
                                     retries=retries)
            waited = sum(r.attempts - 1 for r in results)
            took = sum(r.seconds for r in results)
            extra = f", {waited} lock-timeout retries" if waited else ""
            out_console.print(f"  done in {took:.2f} s{extra}")
            if not down and step.get("deploy_note"):
                err_console.print(f"  next: {step['deploy_note']}", style="dim", markup=False)


def _load_plan(plan_dir: Path) -> dict:
    from migsmith.tools.userfiles import load_json, read_text

    path = plan_dir / "plan.json"
    if not path.is_file():
        raise PlanError(f"{plan_dir} is not a plan directory (no plan.json)")
    plan = load_json(read_text(path, "plan file", PlanError), str(path), PlanError)
    if not isinstance(plan, dict) or not isinstance(plan.get("steps"), list):
        raise PlanError(f"{path} is not a migsmith plan (no list of steps)")
    return plan


def _select(steps: list[dict], spec: str | None) -> list[dict]:
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
