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
from migsmith.tools.lint.parsing import parse
from migsmith.tools.lint.rules import ids_in

#: Type-taste and robustness warnings: excluded when linting generated plans.
TASTE_RULES: frozenset[str] = ids_in("taste")

#: Rules that legitimately fire on a plan's down steps (dropping what the up step added).
DOWN_STEP_EXPECTED_RULES: frozenset[str] = ids_in("destructive")


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
    """Lint one plan step as it will run.

    ``transactional``: the step runs inside one transaction. When its SQL opens that transaction
    itself (``BEGIN ... COMMIT`` in the text) it is linted exactly as written; otherwise the runner
    is assumed to wrap it (``assume_in_transaction``). A non-transactional step is linted as
    written, in autocommit mode.
    """
    skip = set(TASTE_RULES) | set(exclude or ())
    if direction == "down":
        skip |= DOWN_STEP_EXPECTED_RULES
    runner_wraps = transactional and not opens_own_transaction(sql, dialect)
    return lint_sql(sql, dialect=dialect, filename=filename, pg_version=pg_version,
                    assume_in_transaction=runner_wraps, exclude=skip)


def opens_own_transaction(sql: str, dialect: str = "postgres") -> bool:
    """Does the SQL contain its own BEGIN / START TRANSACTION?"""
    return any(s.facts.tx_event == "begin" for s in parse(sql, dialect).statements)
