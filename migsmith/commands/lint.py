"""`migsmith lint`: check migration SQL files for locking, rewrite and data-loss mistakes."""

from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated, Optional

import typer

from migsmith.tools.errors import MigsmithError

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class DialectChoice(str, Enum):
    postgres = "postgres"
    mysql = "mysql"
    sqlite = "sqlite"


class FormatChoice(str, Enum):
    text = "text"
    json = "json"
    github = "github"


def register(app: typer.Typer) -> None:
    app.command("lint")(lint_command)


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


def lint_command(
    files: Annotated[Optional[list[str]], typer.Argument(
        help="SQL files to lint; '-' reads standard input.", show_default=False)] = None,
    dialect: Annotated[DialectChoice, typer.Option("--dialect", help="SQL dialect.")] = DialectChoice.postgres,
    fmt: Annotated[FormatChoice, typer.Option("--format", help="Output format.")] = FormatChoice.text,
    pg_version: Annotated[int, typer.Option("--pg-version", min=9, max=99,
                                            help="Target PostgreSQL major version.")] = 14,
    assume_in_transaction: Annotated[bool, typer.Option(
        "--assume-in-transaction",
        help="The migration runner wraps each file in a transaction.")] = False,
    rule: Annotated[Optional[list[str]], typer.Option(
        "--rule", help="Only run this rule (repeatable, or comma-separated).")] = None,
    exclude: Annotated[Optional[list[str]], typer.Option(
        "--exclude", help="Skip this rule (repeatable, or comma-separated).")] = None,
    list_rules: Annotated[bool, typer.Option("--list-rules", help="Print the rules and exit.")] = False,
) -> None:
    """Lint migration SQL. Exit 0: clean; 1: findings or SQL that does not parse; 2: usage."""
    from migsmith.tools.lint.engine import check_rule_ids, lint_sql, read_source
    from migsmith.tools.lint.formatters import render

    if list_rules:
        sys.stdout.write(_rule_table() + "\n")
        raise typer.Exit(EXIT_OK)
    if not files:
        raise typer.BadParameter("give at least one FILE (or '-' for standard input)",
                                 param_hint="FILE...")
    only, skip = _split_ids(rule), _split_ids(exclude)
    try:
        check_rule_ids(only, option="--rule")
        check_rule_ids(skip, option="--exclude")
    except MigsmithError as exc:
        raise typer.BadParameter(str(exc)) from None

    findings = []
    failed = False
    for path in files:
        try:
            name, text = read_source(path)
            findings.extend(lint_sql(text, dialect=dialect.value, filename=name, pg_version=pg_version,
                                     assume_in_transaction=assume_in_transaction, rules=only,
                                     exclude=skip))
        except MigsmithError as exc:  # SQLParseError reads "file:line:col: message"
            sys.stderr.write(f"error: {exc}\n")
            failed = True

    output = render(findings, fmt.value, files=len(files))
    if output:
        sys.stdout.write(output + "\n")
    raise typer.Exit(EXIT_FINDINGS if findings or failed else EXIT_OK)
