"""``migsmith lint``: a migration linter in the spirit of squawk and strong_migrations.

Public API::

    lint_sql(sql, dialect="postgres", filename=None, pg_version=14,
             assume_in_transaction=False, rules=None, exclude=None) -> list[Finding]
    lint_files(paths, **same options) -> list[Finding]
    lint_plan_step(sql, transactional=..., direction="up"|"down", ...) -> list[Finding]

PostgreSQL is parsed with pglast (PostgreSQL's own parser), MySQL and SQLite with sqlglot. Rules
live one per module in ``rules/``; see docs/lint.md for the table.
"""

from migsmith.tools.lint.directives import DirectiveError
from migsmith.tools.lint.engine import lint_files, lint_sql
from migsmith.tools.lint.model import Finding
from migsmith.tools.lint.plan import (
    DOWN_STEP_EXPECTED_RULES,
    TASTE_RULES,
    lint_plan_step,
)
from migsmith.tools.lint.rules import Rule, all_rules

__all__ = [
    "DOWN_STEP_EXPECTED_RULES",
    "DirectiveError",
    "Finding",
    "Rule",
    "TASTE_RULES",
    "all_rules",
    "lint_files",
    "lint_plan_step",
    "lint_sql",
]
