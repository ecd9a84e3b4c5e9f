"""`migsmith lint`: check migration SQL files for locking, rewrite and data-loss mistakes.

This one command parses its arguments with the standard library's argparse instead of typer:
start-up is most of a lint call in CI (typer pulls in pydantic and costs about 0.1 s before a
line is read), so ``migsmith lint`` goes straight here from ``migsmith.entry`` without importing
the typer app. The typer app lists the command and hands its arguments over unchanged
(``register``), so ``migsmith lint ...`` behaves the same whichever way it is reached.
"""


import argparse
import sys

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

SUMMARY = "Lint migration SQL for locking, rewrite, transaction and data-loss mistakes."
EPILOG = """\
examples:
  migsmith lint migrations/                       every *.sql file below, as its runner runs it
  migsmith lint --assume-in-transaction db/*.sql  the runner wraps each file in a transaction
  migsmith lint --format sarif migrations/ > lint.sarif    for code scanning
  git diff --name-only main -- '*.sql' | xargs migsmith lint --format github

Settings may also come from [tool.migsmith.lint] in pyproject.toml or [lint] in .migsmith.toml
(dialect, pg-version, assume-in-transaction, rules, exclude, exclude-paths); an option given
here replaces the configured value. Runner opt-outs (Diesel metadata.toml, dbmate
transaction:false, goose NO TRANSACTION, sqlx no-transaction, Flyway .sql.conf, ...) are always
honoured. Exit status: 0 no findings, 1 findings (or a file that does not parse), 2 usage.
See docs/lint.md."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one clear line, exit 2 (argparse prints the whole usage)
        sys.stderr.write(f"error: {message} (see migsmith lint --help)\n")
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="migsmith lint", description=SUMMARY, epilog=EPILOG,
                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="SQL files or directories (walked for *.sql); '-' reads standard input")
    p.add_argument("--dialect", help="postgres (default), mysql or sqlite (aliases: postgresql, "
                                     "pg, mariadb, sqlite3)")
    p.add_argument("--format", dest="fmt", default="text", choices=("text", "json", "github", "sarif"),
                   help="text (default), json (a list of findings), github (Actions annotations), "
                        "sarif (SARIF 2.1.0)")
    p.add_argument("--pg-version", type=int, metavar="N",
                   help="target PostgreSQL major version, e.g. 15 (default 14)")
    p.add_argument("--assume-in-transaction", action=argparse.BooleanOptionalAction, default=None,
                   help="the runner wraps each file in a transaction (default: what the runner "
                        "recognised in the file does, else no); a file's own opt-out still wins")
    p.add_argument("--rule", action="append", metavar="ID",
                   help="only this rule (repeatable or comma-separated), e.g. --rule ban-drop-table")
    p.add_argument("--exclude", action="append", metavar="ID",
                   help="skip this rule (repeatable or comma-separated), e.g. --exclude prefer-text")
    p.add_argument("--exclude-path", action="append", metavar="GLOB",
                   help="skip files found under a directory that match, e.g. 'migrations/legacy/*'")
    p.add_argument("--jobs", type=int, metavar="N",
                   help="processes to lint with (default: one per CPU for a few hundred files or more)")
    p.add_argument("--config", metavar="FILE",
                   help="read settings from this pyproject.toml or .migsmith.toml")
    p.add_argument("--no-config", action="store_true", help="ignore configuration files")
    p.add_argument("--list-rules", action="store_true", help="print the rules and exit")
    return p


def _split_ids(values: list[str] | None) -> set[str] | None:
    """--rule a --rule b,c -> {"a", "b", "c"}."""
    if not values:
        return None
    return {part.strip() for v in values for part in v.split(",") if part.strip()}


def _rule_table() -> str:
    from migsmith.tools.lint import all_rules
    from migsmith.tools.lint.engine import FILE_FINDINGS

    rows = [f"{r.id:40} {r.severity:8} {','.join(sorted(r.dialects)):23} {r.message}"
            for r in all_rules().values()]
    rows += [f"{rule_id:40} {'error':8} {'(every file)':23} {message}"
             for rule_id, (message, _, _) in FILE_FINDINGS.items()]
    return "\n".join([f"{'rule':40} {'severity':8} {'dialects':23} what", *rows])


def _settings(args: argparse.Namespace):
    """Configuration file values, then the command line over them. (No `from __future__ import
    annotations` in this module: typer reads `register`'s annotation at run time.)"""
    from pathlib import Path

    from migsmith.tools.dialects import ALIASES
    from migsmith.tools.errors import MigsmithError, UsageError
    from migsmith.tools.lint import config as lint_config
    from migsmith.tools.lint.engine import check_rule_ids

    if args.no_config:
        config = lint_config.LintConfig()
    elif args.config:
        if not Path(args.config).is_file():
            raise UsageError(f"--config {args.config}: no such file")
        config = lint_config.load(Path(args.config))
    else:
        found = lint_config.find()
        config = lint_config.load(found) if found else lint_config.LintConfig()
    dialect = args.dialect or config.dialect or "postgres"
    dialect = ALIASES.get(dialect.lower(), dialect.lower())
    if dialect not in ("postgres", "mysql", "sqlite"):
        raise UsageError(f"unknown dialect {dialect!r}: use postgres, mysql or sqlite")
    if args.exclude_path:
        config.exclude_paths = list(args.exclude_path)
        config.root = Path.cwd()
    rules = _split_ids(args.rule) if args.rule else config.rules
    exclude = _split_ids(args.exclude) if args.exclude else config.exclude
    where = f" in {config.source}" if config.source else ""
    try:
        check_rule_ids(rules, option="--rule" if args.rule else f"rules{where}")
        check_rule_ids(exclude, option="--exclude" if args.exclude else f"exclude{where}")
    except MigsmithError as exc:  # an unknown rule id: usage, with the closest match
        raise UsageError(str(exc)) from None
    options = {
        "dialect": dialect,
        "pg_version": args.pg_version or config.pg_version or 14,
        "assume_in_transaction": (args.assume_in_transaction if args.assume_in_transaction is not None
                                  else config.assume_in_transaction),
        "rules": rules,
        "exclude": exclude,
    }
    return config, options


def main(argv: list[str]) -> int:
    """Run ``migsmith lint`` with these arguments (those after ``lint``); returns the exit status."""
    args = build_parser().parse_args(argv)
    from migsmith.tools.errors import MigsmithError

    if args.list_rules:
        sys.stdout.write(_rule_table() + "\n")
        return EXIT_OK
    if args.jobs is not None and args.jobs < 1:
        sys.stderr.write("error: --jobs must be 1 or more (see migsmith lint --help)\n")
        return EXIT_USAGE
    if not args.paths:
        sys.stderr.write("error: give at least one PATH (a file, a directory, or '-' for standard "
                         "input) (see migsmith lint --help)\n")
        return EXIT_USAGE
    try:
        config, options = _settings(args)
        from migsmith.tools.lint.engine import lint_paths
        from migsmith.tools.lint.formatters import render

        findings, files = lint_paths(args.paths, config=config, jobs=args.jobs, **options)
    except MigsmithError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return exc.exit_code
    output = render(findings, args.fmt, files=files)
    if output:
        sys.stdout.write(output + "\n")
    return EXIT_FINDINGS if findings else EXIT_OK


def register(app) -> None:
    """List ``lint`` in the typer app and hand its arguments to ``main`` untouched."""
    import typer

    @app.command("lint", help=SUMMARY + " Run `migsmith lint --help` for the options.",
                 add_help_option=False,
                 context_settings={"ignore_unknown_options": True, "allow_extra_args": True,
                                   "allow_interspersed_args": False})
    def lint_command(ctx: typer.Context) -> None:
        raise typer.Exit(main(list(ctx.args)))
