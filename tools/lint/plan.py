"""What the plan pipeline needs from the linter.

A generated plan is a list of steps, each an ``up`` and a ``down`` SQL text, each marked as
running inside a transaction or not. ``lint_plan_step`` lints one such text the way the runner
will execute it, and leaves out what is expected in a plan:

* ``TASTE_RULES`` (type preferences, robustness advice): the plan mirrors the user's requested
  types; they are advice, not safety;
* on ``down`` steps, ``DOWN_STEP_EXPECTED_RULES``: undoing an additive change *is* dropping the
  thing that was added, so the destructive rules are expected to fire there.

Everything else (locking, rewrite, transaction, data rules) must be clean on every step.
"""

from __future__ import annotations

from typing import Literal

from migsmith.tools.lint.engine import lint_sql
from migsmith.tools.lint.model import Finding
from migsmith.tools.lint.rules import all_rules


def _ids(category: str) -> frozenset[str]:
    return frozenset(r.id for r in all_rules().values() if r.category == category)


#: Type-taste and robustness warnings: excluded when linting generated plans.
TASTE_RULES: frozenset[str] = _ids("taste")

#: Rules that legitimately fire on a plan's down steps (dropping what the up step added).
DOWN_STEP_EXPECTED_RULES: frozenset[str] = _ids("destructive")


def lint_plan_step(
    sql: str,
    *,
    transactional: bool,
    direction: Literal["up", "down"] = "up",
    dialect: str = "postgres",
    pg_version: int = 14,
    filename: str | None = None,
    exclude: set[str] | None = None,
) -> list[Finding]:
    """Lint one plan step. ``transactional``: the runner wraps the step in a transaction."""
    skip = set(TASTE_RULES) | set(exclude or ())
    if direction == "down":
        skip |= DOWN_STEP_EXPECTED_RULES
    return lint_sql(sql, dialect=dialect, filename=filename, pg_version=pg_version,
                    assume_in_transaction=transactional, exclude=skip)
