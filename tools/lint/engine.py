"""Run the rules over a file: parse, read directives, walk statements in order with state."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable

from migsmith.tools.errors import MigsmithError, did_you_mean
from migsmith.tools.lint.context import Hit, RuleContext
from migsmith.tools.lint.directives import read_directives
from migsmith.tools.lint.model import DIALECTS, Finding, Statement
from migsmith.tools.lint.parsing import parse
from migsmith.tools.lint.rules import Rule, all_rules, rules_for
from migsmith.tools.lint.state import FileState, advance


def check_rule_ids(ids: Iterable[str] | None, *, option: str) -> set[str]:
    """Validate user-supplied rule ids, naming the closest match for a typo."""
    known = all_rules()
    ids = set(ids or ())
    for rule_id in sorted(ids):
        if rule_id not in known:
            raise MigsmithError(f"unknown rule id {rule_id!r} in {option}",
                                hint=did_you_mean(rule_id, known))
    return ids


def _check_dialect(dialect: str) -> None:
    if dialect not in DIALECTS:
        raise MigsmithError(f"unknown dialect {dialect!r}", hint=did_you_mean(dialect, DIALECTS))


def _finding(rule: Rule, hit: Hit, stmt: Statement, filename: str | None) -> Finding:
    where = hit.stmt or stmt
    return Finding(
        rule_id=rule.id,
        severity=rule.severity,  # type: ignore[arg-type]
        message=hit.message or rule.message,
        why=rule.why,
        safe_rewrite=rule.safe_rewrite,
        file=filename,
        line=where.line,
        column=where.column,
        statement=where.text,
    )


def lint_sql(
    sql: str,
    *,
    dialect: str = "postgres",
    filename: str | None = None,
    pg_version: int = 14,
    assume_in_transaction: bool = False,
    rules: set[str] | None = None,
    exclude: set[str] | None = None,
) -> list[Finding]:
    """Lint one migration file's SQL. Raises ``SQLParseError`` (with file/line/column) when it
    does not parse, ``DirectiveError`` for a bad ``migsmith:`` comment.

    ``assume_in_transaction``: the migration runner wraps the whole file in one transaction.
    ``rules``: only these rule ids; ``exclude``: never these. Findings come in file order.
    """
    _check_dialect(dialect)
    only = check_rule_ids(rules, option="rules") if rules is not None else None
    skip = check_rule_ids(exclude, option="exclude")
    active = [r for r in rules_for(dialect)
              if (only is None or r.id in only) and r.id not in skip]

    parsed = parse(sql, dialect, filename)
    statements = parsed.statements
    directives = read_directives(parsed.comments, statements, set(all_rules()), parsed.lines, filename)
    active = [r for r in active if r.id not in directives.file_disabled]
    for index, ids in directives.by_statement.items():
        statements[index].disabled = ids

    state = FileState(dialect=dialect, pg_version=pg_version, assume_in_transaction=assume_in_transaction)
    findings: list[Finding] = []
    for stmt in statements:
        ctx = RuleContext(stmt, state)
        for rule in active:
            if rule.id in stmt.disabled:
                continue
            for hit in rule.check(ctx):
                findings.append(_finding(rule, hit, stmt, filename))
        advance(state, stmt)

    end_ctx = RuleContext(None, state)
    for rule in active:
        if rule.check_end is None:
            continue
        for hit in rule.check_end(end_ctx):
            target = hit.stmt
            if target is None or rule.id in target.disabled:
                continue
            findings.append(_finding(rule, hit, target, filename))

    order = {r.id: n for n, r in enumerate(active)}
    findings.sort(key=lambda f: (f.line, f.column, order.get(f.rule_id, 0)))
    return findings


def read_source(path: str | os.PathLike[str]) -> tuple[str, str]:
    """(display name, text) for a path, or ``-`` for standard input."""
    if str(path) == "-":
        return "<stdin>", sys.stdin.read()
    try:
        with open(path, encoding="utf-8") as handle:
            return str(path), handle.read()
    except FileNotFoundError:
        raise MigsmithError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise MigsmithError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise MigsmithError(f"{path}: {exc.strerror}") from None


def lint_files(paths: Iterable[str | os.PathLike[str]], **options) -> list[Finding]:
    """Lint each file (``-`` = stdin) with the options of ``lint_sql``; findings in path order.
    The first file that does not parse raises ``SQLParseError``."""
    findings: list[Finding] = []
    for path in paths:
        name, text = read_source(path)
        findings.extend(lint_sql(text, filename=name, **options))
    return findings
