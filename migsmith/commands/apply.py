"""`migsmith apply`: run a plan's steps against a database the user names, one step at a time.

Statements go one by one (as psql -f sends them), transactions come from the step files
themselves, and a statement that hits lock_timeout is retried with backoff instead of failing
the deploy, which is how a short lock_timeout stays safe under live traffic.
"""

from __future__ import annotations

import json
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
            out_console.print(f"would run step {step['number']}: {path}")
        return

    import psycopg

    from migsmith.tools.running.executor import apply_step_sql

    try:
        conn = psycopg.connect(db, autocommit=True)
    except psycopg.Error as exc:
        raise MigsmithError(f"cannot connect to --db: {str(exc).strip().splitlines()[0]}") from None
    with conn:
        for step, path in files:
            out_console.print(f"step {step['number']}: {step['title']} ({path.name})")
            results = apply_step_sql(conn, path.read_text(encoding="utf-8"), file=str(path),
                                     retries=retries)
            waited = sum(r.attempts - 1 for r in results)
            took = sum(r.seconds for r in results)
            extra = f", {waited} lock-timeout retries" if waited else ""
            out_console.print(f"  done in {took:.2f} s{extra}")
            if not down and step.get("deploy_note"):
                err_console.print(f"  next: {step['deploy_note']}", style="dim")


def _load_plan(plan_dir: Path) -> dict:
    path = plan_dir / "plan.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PlanError(f"{plan_dir} is not a plan directory (no plan.json)") from None
    except ValueError as exc:
        raise PlanError(f"{path} is not valid JSON: {exc}") from None


def _select(steps: list[dict], spec: str | None) -> list[dict]:
    if not spec:
        return list(steps)
    numbers: set[int] = set()
    for part in spec.split(","):
        lo, _, hi = part.strip().partition("-")
        if not lo.isdigit() or (hi and not hi.isdigit()):
            raise MigsmithError(f"--steps expects numbers like 2 or 1-3, got {spec!r}")
        numbers.update(range(int(lo), int(hi or lo) + 1))
    known = {s["number"] for s in steps}
    missing = sorted(numbers - known)
    if missing:
        raise MigsmithError(f"the plan has no step {missing[0]} (steps 1-{max(known)})")
    return [s for s in steps if s["number"] in numbers]
