"""`migsmith lint`: check migration SQL files for locking, rewrite and data-loss mistakes."""

import argparse
import sys

from migsmith.commands import _args

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

SUMMARY = "Lint migration SQL for locking, rewrite and data-loss mistakes."
EXAMPLES = """\
  migsmith lint migrations/0042_add_index.sql
  migsmith lint --assume-in-transaction db/migrate/*.sql
  git diff --name-only main -- '*.sql' | xargs migsmith lint --format github"""
DETAILS = "Exit status: 0 no findings, 1 findings (or SQL that does not parse), 2 usage."


def build_parser() -> argparse.ArgumentParser:
    p = _args.command_parser("lint", SUMMARY, EXAMPLES, DETAILS)
    p.add_argument("files", nargs="*", metavar="FILE", help="SQL files; '-' reads standard input")
    p.add_argument("--dialect", type=_args.dialect_name, default="postgres", metavar="NAME",
                   help="postgres (default), mysql or sqlite (aliases: postgresql, pg, mariadb, "
                        "sqlite3)")
    p.add_argument("--format", dest="fmt", default="text", choices=("text", "json", "github"),
                   help="text (default), json (a list of findings), github (Actions annotations)")
    p.add_argument("--pg-version", type=_args.count(9, 99), default=14, metavar="N",
                   help="target PostgreSQL major version, e.g. 15 (default 14)")
    p.add_argument("--assume-in-transaction", action="store_true",
                   help="the migration runner wraps each file in a transaction")
    p.add_argument("--rule", action="append", metavar="ID",
                   help="only this rule (repeatable or comma-separated), e.g. --rule ban-drop-table")
    p.add_argument("--exclude", action="append", metavar="ID",
                   help="skip this rule (repeatable or comma-separated), e.g. --exclude prefer-text")
    p.add_argument("--list-rules", action="store_true", help="print the rules and exit")
    return p


def _split_ids(values: list[str] | None) -> set[str] | None:
    """--rule a --rule b,c -> {"a", "b", "c"}."""
    if not values:
        return None
    return {part.strip() for v in values for part in v.split(",") if part.strip()}


def _rule_table() -> str:
    from migsmith.tools.lint import all_rules

    rows = [f"{r.id:40} {r.severity:8} {','.join(sorted(r.dialects)):23} {r.message}"
            for r in all_rules().values()]
    return "\n".join([f"{'rule':40} {'severity':8} {'dialects':23} what", *rows])


def main(argv: list[str]) -> int:
    """Run ``migsmith lint`` with these arguments (those after ``lint``); returns the exit status."""
    args = build_parser().parse_args(argv)
    from migsmith.tools.errors import MigsmithError
    from migsmith.tools.lint.engine import check_rule_ids, lint_sql, read_source
    from migsmith.tools.lint.formatters import render

    if args.list_rules:
        sys.stdout.write(_rule_table() + "\n")
        return EXIT_OK
    if not args.files:
        sys.stderr.write("error: give at least one FILE (or '-' for standard input) "
                         "(see migsmith lint --help)\n")
        return EXIT_USAGE
    only, skip = _split_ids(args.rule), _split_ids(args.exclude)
    try:
        check_rule_ids(only, option="--rule")
        check_rule_ids(skip, option="--exclude")
    except MigsmithError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return EXIT_USAGE

    findings = []
    failed = False
    for path in args.files:
        try:
            name, text = read_source(path)
            findings.extend(lint_sql(text, dialect=args.dialect, filename=name,
                                     pg_version=args.pg_version,
                                     assume_in_transaction=args.assume_in_transaction,
                                     rules=only, exclude=skip))
        except MigsmithError as exc:  # SQLParseError reads "file:line:col: message"
            sys.stderr.write(f"error: {exc}\n")
            failed = True

    output = render(findings, args.fmt, files=len(args.files))
    if output:
        sys.stdout.write(output + "\n")
    return EXIT_FINDINGS if findings or failed else EXIT_OK


def register(app) -> None:
    """List ``lint`` in a typer app and hand its arguments to ``main`` untouched (the lint
    tests' runner; the CLI itself calls ``main``)."""
    import typer

    @app.command("lint", help=SUMMARY + " Run `migsmith lint --help` for the options.",
                 add_help_option=False,
                 context_settings={"ignore_unknown_options": True, "allow_extra_args": True,
                                   "allow_interspersed_args": False})
    def lint_command(ctx: typer.Context) -> None:
        raise typer.Exit(main(list(ctx.args)))
