"""What a rule's ``check(ctx)`` sees: the statement, the file state before it, and the options."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from migsmith.tools.lint.facts import Facts, TableRef
from migsmith.tools.lint.model import Statement
from migsmith.tools.lint.state import FileState


@dataclass(frozen=True)
class Hit:
    """A rule's report. ``message`` overrides the rule's generic one-liner with specifics;
    ``stmt`` points the finding at another statement (e.g. the BEGIN that is never committed)."""

    message: str | None = None
    stmt: Statement | None = None


class RuleContext:
    __slots__ = ("stmt", "state")

    def __init__(self, stmt: Statement | None, state: FileState):
        self.stmt = stmt
        self.state = state

    @property
    def node(self) -> Any:
        return self.stmt.node if self.stmt is not None else None

    @property
    def facts(self) -> Facts:
        return self.stmt.facts if self.stmt is not None else Facts()

    @property
    def dialect(self) -> str:
        return self.state.dialect

    @property
    def pg_version(self) -> int:
        return self.state.pg_version

    @property
    def in_transaction(self) -> bool:
        return self.state.in_transaction

    def is_new(self, table: TableRef) -> bool:
        """Created earlier in this file: no rows, no concurrent readers, nothing to lock out."""
        return self.state.is_new(table)

    @staticmethod
    def hit(message: str | None = None, *, stmt: Statement | None = None) -> Hit:
        return Hit(message, stmt)
