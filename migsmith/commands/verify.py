"""`migsmith verify`: prove a plan directory on a throwaway database (up, down, up again)."""

from __future__ import annotations

from pathlib import Path

from migsmith.commands import _args

SUMMARY = "Prove a plan on a throwaway database: up, down, up; schema, locks."
EXAMPLES = """\
  migsmith verify migrations/rename_created --schema db/schema.sql
  migsmith verify out/plan --db postgresql://localhost/app --rows 5000 --json
  migsmith verify out/plan --schema db/schema.sql --shadow-db postgresql://localhost/scratch"""
DETAILS = """\
The database given with --db is only read; the plan runs on a private throwaway server (or
--shadow-db). The result is recorded in the plan's plan.json and PLAN.md. Exit status: 0
verified, 1 failed or bad input, 2 usage."""


def build_parser():
    p = _args.command_parser("verify", SUMMARY, EXAMPLES, DETAILS)
    p.add_argument("plan_dir", type=Path, metavar="PLAN_DIR",
                   help="a plan directory written by migsmith plan")
    _args.add_schema_source(p, "the schema the plan starts from")
    _args.add_dialect(p, "postgres, mysql or sqlite (default: the plan's)")
    p.add_argument("--rows", type=_args.count(0), default=1000, metavar="N",
                   help="sample rows per table (default 1000)")
    p.add_argument("--shadow-db", metavar="URL",
                   help="a disposable database to verify on instead of a private server")
    p.add_argument("--force", action="store_true",
                   help="use --shadow-db even if it holds tables the schema does not describe")
    _args.add_json(p)
    return p


def main(argv: list[str]) -> int:
    return _args.run(build_parser(), verify_command, argv)


def verify_command(args) -> int:
    """Apply every step up, down and up again on a shadow database; check schema, data, locks."""
    from migsmith.commands._common import print_json
    from migsmith.tools.proving.verify import verify_plan_dir

    report = verify_plan_dir(args.plan_dir, args.schema or args.db, dialect=args.dialect,
                             rows=args.rows, shadow_url=args.shadow_db, force=args.force)
    if args.as_json:
        print_json(report.to_dict())
    else:
        _print(report)
    return 0 if report.ok else 1


def _print(report) -> None:
    from rich.markup import escape
    from rich.table import Table

    from migsmith.commands._common import out_console

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
