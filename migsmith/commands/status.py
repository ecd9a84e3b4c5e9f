"""`migsmith status --db URL PLAN_DIR`: where a plan stands on a database, from the
``migsmith_history`` table that `migsmith apply` keeps there (read-only)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from migsmith.commands._common import handle_errors, out_console, print_json
from migsmith.tools.errors import MigsmithError, PlanError
from migsmith.tools.userfiles import read_text


def register(app: typer.Typer) -> None:
    app.command("status")(status_command)


@handle_errors
def status_command(
    plan_dir: Annotated[Path, typer.Argument(help="A plan directory written by migsmith plan.")],
    db: Annotated[str, typer.Option("--db", help="The database the plan is applied to.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Show which steps of a plan have run on --db, which is next, and where it must wait."""
    from migsmith.commands.apply import load_plan
    from migsmith.tools.running import history as H

    plan = load_plan(plan_dir)
    dialect = plan.get("dialect", "postgres")
    if H.url_dialect(db) != dialect:
        raise MigsmithError(f"the plan is for {dialect} but --db is a {H.url_dialect(db)} URL")
    conn = H.connect(dialect, db)
    try:
        applied = H.History(dialect, conn, plan["name"]).applied()
    finally:
        conn.close()
    rows = []
    next_step = None
    for step in plan["steps"]:
        number = step["number"]
        path = plan_dir / step["up_file"]
        digest = H.checksum(read_text(path, "step file", PlanError)) if path.is_file() else None
        done = applied.get(number)
        if done:
            state = "changed since applied" if done.checksum != digest else "applied"
        elif next_step is None:
            next_step = number
            state = "next: waits for a code deploy" if H.deploy_first(step) else "next"
        else:
            state = "pending"
        rows.append({"step": number, "title": step["title"], "state": state,
                     "deploy_first": H.deploy_first(step),
                     "applied_at": done.applied_at[:19] if done else None,
                     "applied_by": done.applied_by if done else None,
                     "duration_ms": done.duration_ms if done else None})
    count = sum(1 for r in rows if r["applied_at"])
    summary = f"{plan['name']}: {count} of {len(rows)} steps applied"
    if next_step is not None:
        summary += f"; next: step {next_step}"
    elif count == len(rows):
        summary += "; complete"
    if as_json:
        print_json({"plan": plan["name"], "applied": count, "steps": rows, "next": next_step,
                    "summary": summary})
        return
    from rich.markup import escape
    from rich.table import Table

    table = Table(show_header=True, header_style="bold")
    for col in ("#", "step", "state", "applied", "by", "took"):
        table.add_column(col)
    for r in rows:
        took = f"{r['duration_ms'] / 1000:.2f} s" if r["duration_ms"] is not None else ""
        title = ("(deploy first) " if r["deploy_first"] else "") + r["title"]
        table.add_row(str(r["step"]), escape(title), r["state"], r["applied_at"] or "",
                      escape(r["applied_by"] or ""), took)
    out_console.print(table)
    out_console.print(summary, markup=False)
