"""`migsmith verify`: prove a plan directory on a throwaway database (up, down, up again)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from migsmith.commands._common import handle_errors, out_console, print_json


def register(app: typer.Typer) -> None:
    app.command("verify")(verify_command)


@handle_errors
def verify_command(
    plan_dir: Annotated[Path, typer.Argument(help="A plan directory written by migsmith plan.")],
    schema: Annotated[Optional[str], typer.Option("--schema", help="DDL file of the schema the "
                                                  "plan starts from.")] = None,
    db: Annotated[Optional[str], typer.Option("--db", help="Read the starting schema from this "
                                              "database (read-only; it is never changed).")] = None,
    dialect: Annotated[Optional[str], typer.Option("--dialect", help="postgres, mysql or sqlite "
                                                   "(default: the plan's).")] = None,
    rows: Annotated[int, typer.Option("--rows", min=0, help="Sample rows per table.")] = 1000,
    shadow_db: Annotated[Optional[str], typer.Option("--shadow-db", help="A disposable database "
                                                     "to verify on instead of a private "
                                                     "server.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Use --shadow-db even if it holds "
                                        "tables the schema does not describe.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Apply every step up, down and up again on a shadow database; check schema, data, locks."""
    from migsmith.tools.proving.verify import verify_plan_dir

    if (schema is None) == (db is None):
        raise typer.BadParameter("give either --schema FILE or --db URL")
    report = verify_plan_dir(plan_dir, schema or db, dialect=dialect, rows=rows,
                             shadow_url=shadow_db, force=force)
    if as_json:
        print_json(report.to_dict())
    else:
        _print(report)
    if not report.ok:
        raise SystemExit(1)


def _print(report) -> None:
    from rich.markup import escape
    from rich.table import Table

    c = out_console
    for run in (report.plan, report.alternative):
        if run is None:
            continue
        if run.statements:
            table = Table(title=f"{run.label}: observed locks", show_header=True,
                          header_style="bold")
            for col in ("step", "statement", "observed", "expected"):
                table.add_column(col)
            for st in run.statements:
                table.add_row(str(st["step"]), escape(st["statement"][:60]),
                              escape(", ".join(st["observed"])), escape(", ".join(st["expected"])))
            c.print(table)
        for line in run.problems():
            c.print(f"[red]x[/red] {run.label}: {escape(line)}", markup=True, highlight=False)
        for line in run.notes:
            c.print(f"  {run.label}: {line}", markup=False)
    status = "[green]verified[/green]" if report.ok else "[red]verification failed[/red]"
    c.print(f"{status}: {escape(report.summary)}")
