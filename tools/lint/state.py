"""What the linter knows *between* statements of one file.

Rules see the state as it was before their statement runs; the engine then calls ``advance``.
Tracked:

* transaction state: inside a block or not, who opened it (the file's ``BEGIN`` or the
  migration runner, ``assume_in_transaction``), and what the open transaction already holds;
* ``lock_timeout`` / ``statement_timeout``: session and ``SET LOCAL`` values, with PostgreSQL's
  semantics (``SET LOCAL`` dies at COMMIT/ROLLBACK and does nothing outside a block; a session
  ``SET`` inside a rolled-back block is undone; ``0`` means "no timeout");
* tables created earlier in the file (no rows, no readers: most rules skip them);
* CHECK constraints seen in the file, to know whether ``SET NOT NULL`` can use a validated
  ``CHECK (col IS NOT NULL)`` instead of scanning;
* column types declared in the file, to tell binary-compatible type changes from rewrites.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from migsmith.tools.lint.facts import TableRef
from migsmith.tools.lint.model import Statement


@dataclass
class Timeout:
    """One timeout GUC. ``True`` = a positive timeout is in force."""

    session: bool = False
    local: bool | None = None  # SET LOCAL value, only inside a transaction block
    at_begin: bool = False  # session value when the block began, restored by ROLLBACK

    @property
    def active(self) -> bool:
        return self.local if self.local is not None else self.session


@dataclass(frozen=True)
class CheckConstraint:
    table: TableRef
    name: str | None
    not_null_columns: frozenset[str]  # columns this CHECK proves NOT NULL: CHECK (c IS NOT NULL [AND ...])
    validated: bool


@dataclass
class Transaction:
    origin: str  # "explicit" (BEGIN in the file) or "runner" (assume_in_transaction)
    begin: Statement | None
    # Strongest lock held on each pre-existing table by statements earlier in this block.
    held: dict[TableRef, Any] = field(default_factory=dict)
    # Those of them held in ACCESS EXCLUSIVE mode, in the order they were taken.
    access_exclusive: list[TableRef] = field(default_factory=list)
    # Tables that had an ACCESS EXCLUSIVE ALTER TABLE earlier in this block.
    altered: set[TableRef] = field(default_factory=set)
    # (table, constraint name) added NOT VALID in this block.
    not_valid_added: set[tuple[TableRef, str]] = field(default_factory=set)
    _by_name: dict[str, list[TableRef]] = field(default_factory=dict)

    def hold(self, table: TableRef, mode: Any) -> None:
        if mode > self.held.get(table, 0):
            if table not in self.held:
                self._by_name.setdefault(table.name, []).append(table)
            self.held[table] = mode
            if mode.name == "ACCESS_EXCLUSIVE":
                self.access_exclusive.append(table)

    def same_tables(self, table: TableRef) -> list[TableRef]:
        """Held tables that may be ``table`` (see TableRef.matches)."""
        return [t for t in self._by_name.get(table.name, ()) if t.matches(table)]

    def held_lock(self, table: TableRef) -> Any:
        return max((self.held[t] for t in self.same_tables(table)), default=None)

    def has_altered(self, table: TableRef) -> bool:
        return any(t in self.altered for t in self.same_tables(table))


@dataclass
class FileState:
    dialect: str
    pg_version: int
    assume_in_transaction: bool
    runner: Any = None  # the runners.Section being linted, when the runner is known
    tx: Transaction | None = None
    lock_timeout: Timeout = field(default_factory=Timeout)
    statement_timeout: Timeout = field(default_factory=Timeout)
    created: list[TableRef] = field(default_factory=list)
    checks: dict[tuple[str, str], CheckConstraint] = field(default_factory=dict)
    # Tables on which a constraint we never saw defined was validated (defined by an earlier
    # migration): we cannot see its expression, so SET NOT NULL gets the benefit of the doubt.
    validated_unknown: list[TableRef] = field(default_factory=list)
    defined_constraints: set[tuple[str, str]] = field(default_factory=set)  # (table, name), any kind
    # (table, name) of DROP CONSTRAINT IF EXISTS not yet followed by the ADD CONSTRAINT they make
    # re-runnable (prefer-robust-stmts).
    dropped_if_exists: set[tuple[str, str]] = field(default_factory=set)
    column_types: dict[tuple[str, str], Any] = field(default_factory=dict)
    # Tables whose rows were all copied into a table created in this file.
    copied_into_new: list[TableRef] = field(default_factory=list)
    # Copies into new tables that may leave rows or columns behind: (copy, why).
    partial_copies: list[tuple[Any, str]] = field(default_factory=list)
    # New tables filled with rows from tables that existed before this file: (table, how, sources).
    filled: list[tuple[TableRef, str, tuple[TableRef, ...]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.assume_in_transaction:
            self.tx = Transaction(origin="runner", begin=None)
        self._created_by_name: dict[str, list[TableRef]] = {}

    # --- queries used by rules --------------------------------------------------------------

    @property
    def in_transaction(self) -> bool:
        return self.tx is not None

    def is_new(self, table: TableRef) -> bool:
        """Was ``table`` created earlier in this file?"""
        return any(table.matches(t) for t in self._created_by_name.get(table.name, ()))

    def add_created(self, tables: list[TableRef]) -> None:
        for table in tables:
            self.created.append(table)
            self._created_by_name.setdefault(table.name, []).append(table)

    def held_lock(self, table: TableRef) -> Any:
        """The strongest lock the open transaction already holds on ``table``, or None."""
        return self.tx.held_lock(table) if self.tx is not None else None

    def was_copied_into_new_table(self, table: TableRef) -> bool:
        return any(table.matches(t) for t in self.copied_into_new)

    def partial_copies_of(self, table: TableRef) -> list[tuple[Any, str]]:
        return [(c, why) for c, why in self.partial_copies if table.matches(c.source)]

    def filled_from_live_tables(self, table: TableRef) -> tuple[str, tuple[TableRef, ...]] | None:
        """(how, sources) when ``table`` was created in this file and then filled from tables
        that existed before it: it is new (nobody reads it) but not empty."""
        for t, how, sources in self.filled:
            if table.matches(t):
                return how, sources
        return None

    def known_columns(self, table: TableRef) -> set[str]:
        """Columns of ``table`` that this file declared (CREATE TABLE, ADD COLUMN)."""
        return {column for (name, column) in self.column_types if name == table.name}

    def column_type(self, table: TableRef, column: str) -> Any:
        return self.column_types.get((table.name, column))

    def has_validated_not_null_check(self, table: TableRef, column: str) -> bool:
        for check in self.checks.values():
            if check.validated and column in check.not_null_columns and check.table.matches(table):
                return True
        return any(table.matches(t) for t in self.validated_unknown)

    # --- transitions ------------------------------------------------------------------------

    def begin(self, stmt: Statement) -> None:
        if self.tx is None:  # a BEGIN inside a block only draws a warning from PostgreSQL
            self.tx = Transaction(origin="explicit", begin=stmt)
            for t in (self.lock_timeout, self.statement_timeout):
                t.at_begin = t.session

    def end(self, *, rollback: bool) -> None:
        if self.tx is None:
            return
        for t in (self.lock_timeout, self.statement_timeout):
            t.local = None
            if rollback:
                t.session = t.at_begin
        self.tx = None

    def set_timeout(self, name: str, value: bool, *, local: bool) -> None:
        timeout = self.lock_timeout if name == "lock_timeout" else self.statement_timeout
        if local:
            if self.tx is not None:  # SET LOCAL outside a block has no effect
                timeout.local = value
        else:
            timeout.session = value
            # A session SET inside a block also replaces any SET LOCAL for the rest of the block.
            timeout.local = None


def advance(state: FileState, stmt: Statement) -> None:
    """Apply ``stmt``'s effects to ``state`` (after the rules have looked at it)."""
    facts = stmt.facts
    event = facts.tx_event
    if event == "begin":
        state.begin(stmt)
    elif event in ("commit", "rollback"):
        state.end(rollback=event == "rollback")
    state.add_created(facts.created_tables)
    for target, sources, how in facts.filled:
        live = tuple(s for s in sources if not state.is_new(s) or state.filled_from_live_tables(s))
        if live and state.is_new(target):
            state.filled.append((target, how, live))
    for copy in facts.copies:
        if not state.is_new(copy.target):
            continue
        lost = sorted(state.known_columns(copy.source) - copy.columns) if copy.columns is not None else []
        if copy.limited_by:
            state.partial_copies.append((copy, f"its {copy.limited_by} may leave rows behind"))
        elif lost:
            state.partial_copies.append((copy, f"it leaves out column{'s' * (len(lost) > 1)} {', '.join(lost)}"))
        else:
            state.copied_into_new.append(copy.source)
    if state.dialect == "postgres":
        from migsmith.tools.lint.pg_state import advance_postgres

        advance_postgres(state, stmt)
