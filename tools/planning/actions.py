"""Actions: the statements a plan step is made of, as data (alembic's operations, in small).

The strategy decides which actions a change needs and groups them into steps; a dialect renders
each action through its template (``templates/<dialect>/<action>.sql.j2``). Every action knows
its own inverse, so a step's down is the reverse of its up by construction, not by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from migsmith.tools.schema.model import Column, Constraint, Index, Table


@dataclass(frozen=True)
class Action:
    """Base class. ``template`` names the template; ``inverse()`` gives the undo actions."""

    @property
    def template(self) -> str:
        name = type(self).__name__
        return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")

    def inverse(self) -> list[Action]:
        return []

    # A note for the down file when the inverse cannot restore everything (data, mostly).
    def loss_note(self) -> str | None:
        return None


@dataclass(frozen=True)
class CreateTable(Action):
    table: Table
    if_not_exists: bool = True

    def inverse(self):
        return [DropTable(self.table, created_here=True)]


@dataclass(frozen=True)
class DropTable(Action):
    table: Table
    created_here: bool = False  # dropping a table this plan created loses only new rows

    def inverse(self):
        if self.created_here:
            return [CreateTable(self.table, if_not_exists=False)]
        return [RestoreTable(self.table)]

    def loss_note(self):
        if self.created_here:
            return f"rows written to {self.table.name} since the up ran are discarded"
        return None


@dataclass(frozen=True)
class RestoreTable(Action):
    """Inverse of a real drop: the structure comes back, the rows do not."""

    table: Table

    def loss_note(self):
        return (f"{self.table.name} is recreated empty: its rows cannot be brought back by a "
                "migration; restore them from the backup taken before the drop")


@dataclass(frozen=True)
class RenameTable(Action):
    table: str
    new_name: str

    def inverse(self):
        return [RenameTable(self.new_name, self.table)]


@dataclass(frozen=True)
class CreateView(Action):
    """A view standing in for a renamed table, so old code keeps working meanwhile."""

    name: str
    table: str
    # The columns as they were at the rename: later columns stay out of the view, so a view
    # re-created by a down never depends on a column a later step adds (and its down drops).
    columns: tuple[str, ...] = ()

    def inverse(self):
        return [DropView(self.name, self.table, self.columns)]


@dataclass(frozen=True)
class DropView(Action):
    name: str
    table: str
    columns: tuple[str, ...] = ()

    def inverse(self):
        return [CreateView(self.name, self.table, self.columns)]


@dataclass(frozen=True)
class AddColumn(Action):
    table: str
    column: Column

    def inverse(self):
        return [DropColumn(self.table, self.column, added_here=True)]


@dataclass(frozen=True)
class DropColumn(Action):
    table: str
    column: Column
    added_here: bool = False
    copy_from: str | None = None  # SQL expression that still holds the values (expand/contract)
    sync: SyncTrigger | None = None  # the dual-write trigger to re-install on the way back
    copy: Backfill | None = None  # batches that copy the values back on the way down

    def inverse(self):
        if self.added_here:
            return [AddColumn(self.table, self.column)]
        return [RestoreColumn(self.table, self.column, self.copy_from, self.sync, self.copy)]

    def loss_note(self):
        if self.added_here or self.copy_from or self.column.generated:
            return None  # (a generated column's values are computed again)
        return (f"the values of {self.table}.{self.column.name} are gone: the column comes back "
                "empty (or with its default); restore values from a backup if needed")


@dataclass(frozen=True)
class RestoreColumn(Action):
    """Re-add a dropped column with its exact definition.

    With ``copy_from`` (expand/contract) the values come back online: the column is added
    bare, the dual-write trigger goes back on first (so no write is missed), the values are
    copied in batches, then NOT NULL returns through a validated check and the default last.
    Without it, a NOT NULL column with no default gets a placeholder default for existing rows,
    dropped again at once: the structure matches exactly while the lost values stay lost."""

    table: str
    column: Column
    copy_from: str | None = None
    sync: SyncTrigger | None = None
    copy: Backfill | None = None

    @property
    def online(self) -> bool:
        return self.copy_from is not None


@dataclass(frozen=True)
class RenameColumn(Action):
    table: str
    column: str
    new_name: str

    def inverse(self):
        return [RenameColumn(self.table, self.new_name, self.column)]


@dataclass(frozen=True)
class AlterColumnType(Action):
    table: str
    column: str
    old_type: str
    new_type: str
    using: str | None = None
    back_using: str | None = None
    loss: str | None = None  # what converting to new_type drops (a narrowing, consented to)

    def inverse(self):
        return [AlterColumnType(self.table, self.column, self.new_type, self.old_type,
                                self.back_using, self.using)]

    def loss_note(self):
        if self.loss:
            return (f"{self.table}.{self.column} went from {self.old_type} to {self.new_type}, "
                    f"which {self.loss}: the down restores the type, not what was dropped")
        return None


@dataclass(frozen=True)
class SetNotNull(Action):
    """SET NOT NULL. ``check`` names a temporary CHECK (col IS NOT NULL) to add, validate and
    drop around it (statements committed one by one), so the scan never runs under ACCESS
    EXCLUSIVE; without it the caller has already validated such a check."""

    table: str
    column: str
    check: str | None = None

    def inverse(self):
        return [DropNotNull(self.table, self.column)]


@dataclass(frozen=True)
class DropNotNull(Action):
    table: str
    column: str

    def inverse(self):
        from migsmith.tools.spec.identifiers import bounded_name

        check = bounded_name(self.table.split(".")[-1], self.column, suffix="not_null")
        return [SetNotNull(self.table, self.column, check=check)]


@dataclass(frozen=True)
class SetDefault(Action):
    table: str
    column: str
    default: str
    previous: str | None = None

    def inverse(self):
        if self.previous is None:
            return [DropDefault(self.table, self.column, previous=self.default)]
        return [SetDefault(self.table, self.column, self.previous, self.default)]


@dataclass(frozen=True)
class DropDefault(Action):
    table: str
    column: str
    previous: str | None = None

    def inverse(self):
        return [SetDefault(self.table, self.column, self.previous)] if self.previous else []


@dataclass(frozen=True)
class CreateIndex(Action):
    index: Index
    concurrently: bool = True
    only: bool = False  # ON ONLY a partitioned table: the partitions' indexes are attached

    def inverse(self):
        return [DropIndex(self.index, concurrently=self.concurrently)]


@dataclass(frozen=True)
class AttachIndex(Action):
    """ALTER INDEX parent ATTACH PARTITION child: once every partition's index is attached,
    the partitioned index becomes valid. An attached index cannot be dropped on its own, so
    the first attach of a step carries the parent index (``drops``), whose drop (it takes the
    attached ones with it) undoes them all."""

    index: str  # the partitioned table's index
    partition_index: str
    table: str  # the partitioned table
    drops: Index | None = None

    def inverse(self):
        return [DropIndex(self.drops, concurrently=False)] if self.drops else []


@dataclass(frozen=True)
class DropIndex(Action):
    index: Index
    concurrently: bool = True

    def inverse(self):
        return [CreateIndex(self.index, concurrently=self.concurrently)]


@dataclass(frozen=True)
class RenameIndex(Action):
    table: str
    name: str
    new_name: str

    def inverse(self):
        return [RenameIndex(self.table, self.new_name, self.name)]


@dataclass(frozen=True)
class RenameConstraint(Action):
    table: str
    name: str
    new_name: str
    unique: bool = False  # a unique constraint: renaming it renames its index

    def inverse(self):
        return [RenameConstraint(self.table, self.new_name, self.name, self.unique)]


@dataclass(frozen=True)
class AddConstraint(Action):
    constraint: Constraint
    not_valid: bool = False  # checked for new rows only until a separate VALIDATE
    using_index: str | None = None
    # A foreign key on a partitioned table attaches the partitions' own equal keys, and
    # dropping it drops them too: the inverse puts these back (NOT VALID, then validated).
    restores: tuple[Constraint, ...] = ()

    def inverse(self):
        return [DropConstraint(self.constraint, keep_index=self.using_index is not None)] + [
            a for con in self.restores
            for a in (AddConstraint(con, not_valid=True),
                      ValidateConstraint(con.table, con.name, con.ref_table))]


@dataclass(frozen=True)
class ValidateConstraint(Action):
    table: str
    name: str
    ref_table: str | None = None
    violation: str | None = None  # the message when rows break the constraint


@dataclass(frozen=True)
class DropConstraint(Action):
    constraint: Constraint
    keep_index: bool = False

    def inverse(self):
        con = self.constraint
        if con.kind in ("check", "foreign_key"):
            return [AddConstraint(con, not_valid=True),
                    ValidateConstraint(con.table, con.name, con.ref_table)]
        return [AddConstraint(con, using_index=con.index if self.keep_index else None)]


@dataclass(frozen=True)
class LockTable(Action):
    table: str
    mode: str  # e.g. "SHARE ROW EXCLUSIVE"


@dataclass(frozen=True)
class Backfill(Action):
    table: str
    column: str
    expression: str
    where: str | None
    key: tuple[str, ...]
    key_is_integer: bool
    batch_size: int  # 0: one plain UPDATE (a maintenance window)
    pause_ms: int
    # Skip rows that already hold the value, so re-running after an interruption changes nothing.
    idempotent_guard: bool = True
    batch_ms: int = 0
    min_batch_size: int = 0
    max_batch_size: int = 0
    max_rows_per_s: int = 0
    known_triggers: tuple[str, ...] = ()
    own_triggers: tuple[str, ...] = ()
    keep_columns: tuple[str, ...] = ()
    restate_columns: tuple[str, ...] = ()  # MySQL: SET c = c, so ON UPDATE leaves c alone
    trigger_notes: tuple[str, ...] = ()
    overwrites: str | None = None  # what the values it replaces were (a consented data loss)

    def loss_note(self):
        return self.overwrites

    @classmethod
    def one_update(cls, table: str, column: str, expression: str, where: str | None = None,
                   overwrites: str | None = None):
        """A single UPDATE (batch_size 0): a maintenance window's, or where nothing waits."""
        return cls(table=table, column=column, expression=expression, where=where, key=(),
                   key_is_integer=False, batch_size=0, pause_ms=0, overwrites=overwrites)


@dataclass(frozen=True)
class SyncTrigger(Action):
    """Keep two columns in step while old and new code both run (the dual-write of
    expand/contract, done by the database so no deploy has to be perfectly timed)."""

    table: str
    old_column: str
    new_column: str
    function: str
    trigger: str
    to_new: str  # expression computing the new column from NEW.<old>
    to_old: str  # expression computing the old column from NEW.<new>

    def inverse(self):
        return [DropSyncTrigger(self)]


@dataclass(frozen=True)
class DropSyncTrigger(Action):
    sync: SyncTrigger
    reinstall: bool = True  # False when a RestoreColumn in the same down puts it back

    def inverse(self):
        return [self.sync] if self.reinstall else []


@dataclass(frozen=True)
class Analyze(Action):
    table: str


@dataclass(frozen=True)
class RebuildTable(Action):
    """SQLite's documented 12-step table rebuild, from one shape of the table to another."""

    old: Table
    new: Table
    column_map: tuple[tuple[str, str], ...] = field(default=())  # (new column, expression)
    reverse_map: tuple[tuple[str, str], ...] = field(default=())
    # Dropping the old table drops its triggers, and renaming the new one into its place
    # fails while a view or another table's trigger names a table that does not exist: the
    # views (in creation order) and the other tables' triggers that read it are dropped
    # first, and all three re-created after, as CREATE statements.
    views: tuple[tuple[str, str], ...] = field(default=())  # (name, CREATE VIEW ...)
    triggers: tuple[tuple[str, str], ...] = field(default=())  # (name, CREATE TRIGGER ...)
    other_triggers: tuple[tuple[str, str], ...] = field(default=())

    def inverse(self):
        return [replace(self, old=self.new, new=self.old, column_map=self.reverse_map,
                        reverse_map=self.column_map)]


@dataclass(frozen=True)
class RawComment(Action):
    """A comment line in the SQL (for what must be said where it happens)."""

    text: str


# ----------------------------------------------------------------------------- dependents
# Views, triggers, policies and functions that read a column being renamed or retyped are
# re-created from their definitions: the statement as the schema gives it, re-emitted from
# the database's own parse tree (``dialects/recipes/dependents.py``).
DEPENDENT_KINDS = ("view", "materialized_view", "trigger", "policy", "function")


@dataclass(frozen=True)
class DefineObject(Action):
    """CREATE a view, materialized view, trigger, policy or function from its definition
    (one or more full statements: a materialized view brings its indexes and grants)."""

    kind: str  # one of DEPENDENT_KINDS
    table: str  # the table it belongs to (a view or function: its own name)
    name: str  # a function: its signature
    definition: str

    def inverse(self):
        return [DropObject(self.kind, self.table, self.name, self.definition)]


@dataclass(frozen=True)
class DropObject(Action):
    kind: str
    table: str
    name: str
    definition: str  # what the inverse re-creates

    def inverse(self):
        return [DefineObject(self.kind, self.table, self.name, self.definition)]


@dataclass(frozen=True)
class ReplaceObject(Action):
    """Swap an object's definition for another: CREATE OR REPLACE for views and functions,
    DROP and CREATE (in the step's transaction) for triggers and policies. Both texts name
    their columns, so the swap is exact both ways."""

    kind: str
    table: str
    name: str
    definition: str
    previous: str

    def inverse(self):
        return [ReplaceObject(self.kind, self.table, self.name, self.previous, self.definition)]


@dataclass(frozen=True)
class RenameView(Action):
    name: str
    new_name: str
    materialized: bool = False

    def inverse(self):
        return [RenameView(self.new_name, self.name, self.materialized)]
