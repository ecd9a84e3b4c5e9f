"""`migsmith apply`: run a plan's steps against a database the user names, one step at a time.

Statements go one by one (as psql -f sends them), transactions come from the step files
themselves, and a statement that hits lock_timeout is retried with backoff instead of failing
the deploy, which is how a short lock_timeout stays safe under live traffic.
"""

from __future__ import annotations

import json
from pathlib import Path

from migsmith.commands import _args

SUMMARY = "Apply (or roll back) a plan's steps, retrying lock timeouts."
EXAMPLES = """\
  migsmith apply migrations/rename_created --db postgresql://localhost/app --steps 1-2
  migsmith apply migrations/rename_created --db postgresql://localhost/app --steps 2 --down
  migsmith apply migrations/rename_created --db postgresql://localhost/app --dry-run"""


def build_parser():
    p = _args.command_parser("apply", SUMMARY, EXAMPLES)
    p.add_argument("plan_dir", type=Path, metavar="PLAN_DIR",
                   help="a plan directory written by migsmith plan")
    p.add_argument("--db", required=True, metavar="URL",
                   help="the database to change (PostgreSQL URL)")
    p.add_argument("--steps", metavar="LIST",
                   help="which steps, e.g. 1-3 or 4 or 1,3 (default: all, in order)")
    p.add_argument("--down", action="store_true",
                   help="run the down files of those steps, in reverse order")
    p.add_argument("--retries", type=_args.count(0), default=8, metavar="N",
                   help="retries per statement after a lock_timeout (default 8)")
    p.add_argument("--dry-run", action="store_true", help="print what would run, change nothing")
    return p


def main(argv: list[str]) -> int:
    return _args.run(build_parser(), apply_command, argv)


def apply_command(args) -> None:
    """Apply (or roll back) a plan's steps on the database given with --db."""
    from migsmith.commands._common import err_console, out_console
    from migsmith.tools.errors import MigsmithError, PlanError

    plan_dir, db, steps, down, retries = args.plan_dir, args.db, args.steps, args.down, args.retries
    dry_run = args.dry_run
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
    from migsmith.tools.errors import PlanError

    path = plan_dir / "plan.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PlanError(f"{plan_dir} is not a plan directory (no plan.json)") from None
    except ValueError as exc:
        raise PlanError(f"{path} is not valid JSON: {exc}") from None


def _select(steps: list[dict], spec: str | None) -> list[dict]:
    from migsmith.tools.errors import MigsmithError

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
