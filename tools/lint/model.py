"""The data the linter hands back: findings, and the statements it found them in.

Plain dataclasses (no pydantic): ``migsmith lint`` starts in a fraction of a second, and a
pydantic model would cost more to import than the whole linter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning"]
Dialect = Literal["postgres", "mysql", "sqlite"]
DIALECTS: tuple[str, ...] = ("postgres", "mysql", "sqlite")


@dataclass(frozen=True)
class Finding:
    """One problem in one statement. ``line``/``column`` are 1-based and point at the statement's
    first token in the file (not at a leading comment); for ``syntax-error`` they point at the
    token the parser stopped at, and ``frame`` shows the lines around it with a caret."""

    rule_id: str
    severity: Severity
    message: str
    why: str
    safe_rewrite: str
    line: int
    column: int
    statement: str
    file: str | None = None
    frame: str | None = None


@dataclass(eq=False)
class Statement:
    """One parsed statement and where it sits in the source text.

    ``node`` is the dialect's AST: a ``pglast.ast`` node for PostgreSQL, a ``sqlglot`` expression
    for the others. ``start``/``end`` are character offsets into the file (end exclusive).
    """

    index: int
    node: Any
    text: str
    start: int
    end: int
    line: int
    column: int
    # Dialect-neutral view of the statement (see facts.py); built by the dialect's parser module.
    facts: Any = None
    # Rule ids switched off for this statement by a `-- migsmith:disable` comment.
    disabled: frozenset[str] = field(default_factory=frozenset)

    @property
    def kind(self) -> str:
        return type(self.node).__name__
