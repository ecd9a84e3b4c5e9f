"""SQLite 3.35+ (older targets supported through the table rebuild).

SQLite is embedded: one writer at a time for the whole database, DDL inside transactions, and
an ALTER TABLE that can only add, rename and drop columns and rename tables. So every operation
is one transactional step, and what the version allows natively is done natively
(https://www.sqlite.org/lang_altertable.html):

- ADD COLUMN: when the column has no PRIMARY KEY/UNIQUE, its default is a constant (not
  CURRENT_TIMESTAMP, not an expression) and NOT NULL comes with a non-NULL default. Metadata
  only: rows are not rewritten.
- RENAME COLUMN: 3.25+ (references in indexes, triggers and views follow).
- DROP COLUMN: 3.35+, when no constraint names the column (plain indexes on it are dropped
  first, in the same transaction). It rewrites the table.
- Everything else (type changes, NOT NULL, defaults, foreign keys, checks, dropping
  constraints, and the above on older versions) is the documented 12-step rebuild: foreign keys
  off outside the transaction, new table, copy, drop, rename, recreate indexes,
  ``PRAGMA foreign_key_check`` before COMMIT, foreign keys back on.

Preconditions cannot raise from plain SQL, so a step inserts the conditions into a temporary
table whose CHECK constraints are named after the messages: a false condition aborts the step
with "CHECK constraint failed: <message>". Every step runs under BEGIN IMMEDIATE, which takes
the database write lock at once (``busy_timeout`` bounds the wait) instead of failing with
SQLITE_BUSY half way.
"""

from __future__ import annotations

from migsmith.tools.dialects.base import Check, Dialect, PlanContext, StepDraft, index_for
from migsmith.tools.planning.dependents import column_uses, refuse_breaking_drop
from migsmith.tools.dialects.sqlite.constants import (
    _KEYWORD_DEFAULT,
    _LITERAL,
    _PHASE,
    _REBUILT,
    MAX_BATCHES,
    RESERVED,
)
from migsmith.tools.dialects.sqlite.impact import SQLiteImpact
from migsmith.tools.dialects.sqlite.rebuild import SQLiteRebuild
from migsmith.tools.errors import SpecError
from migsmith.tools.planning import actions as A
from migsmith.tools.planning.plan import ExpectedLock, LockInfo
from migsmith.tools.schema.model import Constraint


class SQLite(SQLiteRebuild, SQLiteImpact, Dialect):
    name = "sqlite"
    default_version = "3.35"
    transactional_ddl = True
    supports_concurrent_index = False
    supports_not_valid = False
    index_key_features = frozenset({"desc", "collation"})
    US = "\x1f"  # separates a rendered check's message from its condition

    def __init__(self, version: str | None = None):
        super().__init__(version)
        self.env.filters["default_sql"] = self.default_sql
        # (table, column) -> batch statements written for a backfill (from the row estimate).
        self._batches: dict[tuple[str, str], int] = {}

    def backfill_batches(self, action: A.Backfill) -> int:
        return self._batches.get((action.table, action.column), 0)

    @property
    def native_rename_column(self) -> bool:
        return self.version >= (3, 25)

    @property
    def native_drop_column(self) -> bool:
        return self.version >= (3, 35)

    def default_sql(self, text: str | None) -> str:
        """Column defaults: literals and CURRENT_* bare, anything else in parentheses."""
        if text is None:
            return "NULL"
        t = text.strip()
        return t if _LITERAL.match(t) or _KEYWORD_DEFAULT.match(t) else f"({t})"

    def lock_info(self, mode: str) -> LockInfo:
        return LockInfo(mode=mode, blocks_reads=False, blocks_writes=True)

    def expected_locks(self, action: A.Action) -> list[ExpectedLock]:
        table = getattr(action, "table", None) or getattr(getattr(action, "index", None),
                                                           "table", None)
        if isinstance(action, (A.AddConstraint, A.DropConstraint)):
            table = action.constraint.table
        if isinstance(action, A.RebuildTable):
            table = action.old.name
        name = table.name if hasattr(table, "name") else table
        return [ExpectedLock(table=name, mode=RESERVED)] if name else []

    def render_check(self, check: Check) -> str:
        """name<US>condition: the step template names a CHECK after the message."""
        cond = " ".join(self.env.get_template("check.sql.j2").render(c=check).split())
        message = "migsmith precondition failed: expected " + check.message
        return '"' + message.replace('"', '""') + '"' + self.US + cond

    def has_alternative(self, op, ctx: PlanContext) -> bool:
        return False  # the safe plan already is the plain one: SQLite has no online DDL

    def placeholder(self, type_text: str) -> str:
        base = type_text.lower()
        if base.startswith(("timestamp", "date", "datetime")):
            return "'1970-01-01 00:00:00'"
        return super().placeholder(type_text)

    def plan_operation(self, op, ctx: PlanContext) -> list[StepDraft]:
        actions = self.simple_actions(op, ctx)
        rows = ctx.rows(op.table) if getattr(op, "table", None) else None
        rebuild = any(isinstance(a, A.RebuildTable) for a in actions)
        kind = "rewrite" if rebuild or op.op == "drop_column" else (
            "index" if op.op in ("add_index", "add_unique_constraint") else "ddl")
        draft = StepDraft(
            title=self.describe(op) + (" (12-step table rebuild)" if rebuild else ""),
            phase=_PHASE.get(op.op, "expand"), actions=actions,
            deploy_note=self._deploy_note(op, rebuild), checks=self._checks(op, ctx, rebuild),
            est_seconds=round(self.seconds("backfill" if op.op == "backfill" else kind, rows), 3),
            op_index=ctx.op_index)
        if op.op == "backfill":
            table = ctx.schema.table(op.table)
            bf = self.backfill_plan(table, op.column, op.expression, op.where, ctx.options, rows)
            draft.backfill = bf
            # Each batch commits on its own, so the step is not one transaction.
            stride = max(bf.batch_size, -(-(rows or 0) // MAX_BATCHES))
            self._batches[(op.table, op.column)] = min(-(-(rows or 0) // stride), MAX_BATCHES)
            draft.actions = [A.Backfill(table=op.table, column=op.column,
                                        expression=op.expression, where=op.where,
                                        key=tuple(bf.key), key_is_integer=bf.key_is_integer,
                                        batch_size=stride, pause_ms=0,
                                        overwrites=self.backfill_loss(op, ctx))]
            draft.transactional = False
            if bf.key:
                draft.lint_expect = [("unbatched-data-change",
                                      "the last UPDATE only catches rows beyond the row "
                                      "estimate (normally none), in a transaction of its own")]
            draft.title = (f"backfill {op.table}.{op.column} in batches of {stride}, "
                           "each its own transaction")
            draft.deploy_note = ("No code change; other writers get the database between "
                                 "batches. Re-runnable: rows that already hold the value are "
                                 "skipped.")
        if op.op == "set_not_null" and ctx.null_fill(op.table, op.column) is not None:
            from migsmith.tools.dialects.recipes.nullability import NullabilityRecipes

            draft.irreversible = NullabilityRecipes.null_fill_loss(
                op, ctx.null_fill(op.table, op.column))
        if op.op == "create_table":
            ctx.new_tables.add(op.table)
        return [draft]

    def simple_actions(self, op, ctx: PlanContext) -> list[A.Action]:
        s = ctx.schema
        match op.op:
            case "create_table":
                return [A.CreateTable(self.table_model(op))]
            case "drop_table":
                return [A.DropTable(s.table(op.table), created_here=op.table in ctx.new_tables)]
            case "rename_table":
                return [A.RenameTable(op.table, op.new_name)]
            case "add_column":
                if self.native_add_column(op.column):
                    return [A.AddColumn(op.table, self.column_model(op.column))]
                return [self.rebuild(op, ctx)]
            case "drop_column":
                table = s.table(op.table)
                col = table.column(op.column)
                if op.table not in ctx.new_tables:
                    refuse_breaking_drop(op, ctx)
                # Native only when the down can re-add the column natively as well.
                if (self.native_drop_column and not table.constraints_on(col.name)
                        and self.native_add_column(col)):
                    drops: list[A.Action] = [A.DropIndex(i, concurrently=False)
                                             for i in table.indexes_on(col.name)]
                    return drops + [A.DropColumn(op.table, col,
                                                 added_here=op.table in ctx.new_tables)]
                return [self.rebuild(op, ctx)]
            case "rename_column":
                if self.native_rename_column:
                    return self._native_rename(op, ctx)
                return [self.rebuild(op, ctx)]
            case "add_index":
                if op.method not in (None, "btree"):
                    raise SpecError(f"SQLite has no {op.method} indexes",
                                    hint="use a plain (btree) index")
                return [A.CreateIndex(index_for(op, op.table), concurrently=False)]
            case "drop_index":
                _, idx = s.find_index(op.name)
                return [A.DropIndex(idx, concurrently=False)]
            case "add_unique_constraint":
                # SQLite cannot add a table constraint; a unique index enforces the same rule.
                return [A.AddConstraint(Constraint(name=op.name, table=op.table, kind="unique",
                                                   columns=list(op.columns), index=op.name))]
            case "drop_constraint":
                con = s.table(op.table).constraint_named(op.name)
                if con is not None and con.kind == "unique" and con.index == con.name \
                        and not con.name.startswith("sqlite_autoindex"):
                    return [A.DropConstraint(con)]  # one we added as a unique index
                if con is not None and con.kind == "primary_key":
                    raise SpecError("dropping a primary key from a SQLite table changes its rowid "
                                    "storage; migsmith does not automate it",
                                    hint="create the new table shape with create_table and copy "
                                         "the rows in a maintenance window")
                return [self.rebuild(op, ctx)]
            case "backfill":
                return [A.Backfill.one_update(op.table, op.column, op.expression, op.where,
                                              self.backfill_loss(op, ctx))]
            case "set_not_null" if ctx.null_fill(op.table, op.column) is not None:
                # "not null default X": today's NULLs take X first, in the same transaction
                return [A.Backfill.one_update(op.table, op.column,
                                              ctx.null_fill(op.table, op.column),
                                              f"{self.quote(op.column)} IS NULL"),
                        self.rebuild(op, ctx)]
            case kind if kind in _REBUILT:
                return [self.rebuild(op, ctx)]
        raise SpecError(f"SQLite: operation {op.op} is not supported")
