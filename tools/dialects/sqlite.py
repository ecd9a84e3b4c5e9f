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

import re

from migsmith.tools.planning import actions as A
from migsmith.tools.dialects.base import Check, Dialect, PlanContext, StepDraft, index_for
from migsmith.tools.errors import SpecError
from migsmith.tools.planning.plan import ExpectedLock, LockInfo, MonitoringQuery, OperationImpact
from migsmith.tools.schema.evolve import apply
from migsmith.tools.schema.model import Column, Constraint

RESERVED = "RESERVED"  # SQLite's write lock: one writer for the whole database; readers go on
_LITERAL = re.compile(r"^(-?\d+(\.\d+)?|'([^']|'')*'|NULL|TRUE|FALSE|X'[0-9A-Fa-f]*')$",
                      re.IGNORECASE)
# A backfill file holds at most this many batch transactions; bigger tables get bigger batches.
MAX_BATCHES = 100
_KEYWORD_DEFAULT = re.compile(r"^CURRENT_(TIMESTAMP|DATE|TIME)$", re.IGNORECASE)

_REBUILT = ("alter_column_type", "set_not_null", "drop_not_null", "set_default", "drop_default",
            "add_foreign_key", "add_check_constraint")

_PHASE = {"create_table": "expand", "add_column": "expand", "add_index": "expand",
          "rename_column": "expand", "rename_table": "expand", "alter_column_type": "expand",
          "drop_not_null": "expand", "set_default": "expand", "drop_default": "expand",
          "backfill": "backfill", "set_not_null": "constrain", "add_foreign_key": "constrain",
          "add_check_constraint": "constrain", "add_unique_constraint": "constrain",
          "drop_table": "contract", "drop_column": "contract", "drop_index": "contract",
          "drop_constraint": "contract"}


class SQLite(Dialect):
    name = "sqlite"
    default_version = "3.35"
    transactional_ddl = True
    supports_concurrent_index = False
    supports_not_valid = False
    US = "\x1f"  # separates a rendered check's message from its condition

    def __init__(self, version: str | None = None):
        super().__init__(version)
        self.env.filters["default_sql"] = self.default_sql
        # (table, column) -> batch statements written for a backfill (from the row estimate).
        self._batches: dict[tuple[str, str], int] = {}

    def backfill_batches(self, action: A.Backfill) -> int:
        return self._batches.get((action.table, action.column), 0)

    # --------------------------------------------------------------- capabilities
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

    # --------------------------------------------------------------- planning
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
                                        batch_size=stride, pause_ms=0)]
            draft.transactional = False
            if bf.key_is_integer:
                draft.lint_expect = [("unbatched-data-change",
                                      "the last UPDATE only catches rows beyond the row "
                                      "estimate (normally none), in a transaction of its own")]
            draft.title = (f"backfill {op.table}.{op.column} in batches of {stride}, "
                           "each its own transaction")
            draft.deploy_note = ("No code change; other writers get the database between "
                                 "batches. Re-runnable: rows that already hold the value are "
                                 "skipped.")
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
                    return [A.RenameColumn(op.table, op.column, op.new_name)]
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
                return [A.Backfill(table=op.table, column=op.column, expression=op.expression,
                                   where=op.where, key=(), key_is_integer=False, batch_size=0,
                                   pause_ms=0)]
            case kind if kind in _REBUILT:
                return [self.rebuild(op, ctx)]
        raise SpecError(f"SQLite: operation {op.op} is not supported")

    def native_add_column(self, col) -> bool:
        """ALTER TABLE ADD COLUMN's own restrictions (lang_altertable.html#altertabaddcol)."""
        if getattr(col, "primary_key", False):
            return False
        if col.default is not None and not _LITERAL.match(col.default.strip()):
            return False  # CURRENT_TIMESTAMP and expressions are refused by ADD COLUMN
        if not col.nullable and (col.default is None or col.default.strip().upper() == "NULL"):
            return False
        return True

    def rebuild(self, op, ctx: PlanContext) -> A.RebuildTable:
        old = ctx.schema.table(op.table)
        state = ctx.schema.model_copy(deep=True)
        apply(state, op, ctx.options.model_copy(update={"allow_data_loss": True}))
        new = state.table(op.new_name if op.op == "rename_table" else op.table)
        renamed = {op.new_name: op.column} if op.op == "rename_column" else {}
        forward, backward = [], []
        for col in new.columns:
            source = renamed.get(col.name, col.name)
            if old.has_column(source):
                expr = self.quote(source)
                if op.op == "alter_column_type" and op.using and col.name == op.column:
                    expr = f"({op.using})"
                forward.append((col.name, expr))
            else:
                forward.append((col.name, self._fill(col)))
        back_renamed = {v: k for k, v in renamed.items()}
        for col in old.columns:
            source = back_renamed.get(col.name, col.name)
            backward.append((col.name, self.quote(source) if new.has_column(source)
                             else self._fill(col)))
        return A.RebuildTable(old=old, new=new, column_map=tuple(forward),
                              reverse_map=tuple(backward))

    def _fill(self, col: Column) -> str:
        """The value a column that did not exist before gets in the copy."""
        if col.default is not None:
            return self.default_sql(col.default) if _LITERAL.match(col.default.strip()) else \
                f"({col.default})"
        return "NULL" if col.nullable else self.placeholder(col.type)

    def _checks(self, op, ctx: PlanContext, rebuild: bool) -> list[Check]:
        t = getattr(op, "table", None)
        out: list[Check] = []
        match op.op:
            case "create_table":
                out.append(Check("table_missing", t, message=f"table {t} does not exist yet"))
            case "add_column":
                out.append(Check("column_missing", t, op.column.name,
                                 message=f"column {t}.{op.column.name} does not exist yet"))
            case "drop_column" | "rename_column" | "alter_column_type" | "set_default" \
                    | "drop_default" | "drop_not_null" | "backfill":
                out.append(Check("column_exists", t, op.column,
                                 message=f"column {t}.{op.column} exists"))
            case "set_not_null":
                out.append(Check("no_nulls", t, op.column,
                                 message=f"no row has {op.column} NULL (backfill first otherwise)"))
            case "add_index" | "add_unique_constraint":
                out.append(Check("index_missing", t, name=op.name,
                                 message=f"index {op.name} does not exist yet"))
                if (op.op == "add_unique_constraint" or op.unique) and t not in ctx.new_tables:
                    out.append(Check("no_duplicates", t, columns=tuple(op.columns),
                                     name=getattr(op, "where", None),
                                     message=f"{t}({', '.join(op.columns)}) has no duplicates"))
            case "rename_table":
                out.append(Check("table_missing", op.new_name,
                                 message=f"no table {op.new_name} exists yet"))
        if t and op.op not in ("create_table",) and t not in ctx.new_tables:
            out.insert(0, Check("table_exists", t, message=f"table {t} exists"))
        if rebuild:
            out.append(Check("no_triggers", t, message=f"table {t} has no triggers (the rebuild "
                                                       "drops them with the old table)"))
        return out

    def _deploy_note(self, op, rebuild: bool) -> str:
        if rebuild:
            return ("The table is copied inside one transaction while every other writer waits "
                    "(readers continue in WAL mode). Foreign key enforcement is off for the "
                    "copy; PRAGMA foreign_key_check must pass before COMMIT.")
        if op.op in ("rename_column", "rename_table", "drop_column", "drop_table"):
            return ("Breaking for running code: SQLite is embedded, so ship this migration with "
                    "the application version that uses the new names, and run it at start-up "
                    "before the first query.")
        return "One short transaction; other writers wait for it (busy_timeout)."

    # --------------------------------------------------------------- impact
    def impact(self, op, ctx: PlanContext) -> OperationImpact:
        actions = self.simple_actions(op, ctx)
        rebuild = any(isinstance(a, A.RebuildTable) for a in actions)
        t = getattr(op, "table", None)
        if op.op == "drop_index":
            found = ctx.schema.find_index(op.name)
            t = found[0].name if found else t
        rows = ctx.rows(t) if t else None
        effect, cls, breaks = "metadata", "additive", []
        notes = ["SQLite takes one write lock for the whole database: every other writer "
                 "waits until the step commits (readers continue in WAL mode)"]
        kind = "ddl"
        if rebuild:
            effect, kind = "rewrite", "rewrite"
            notes.append("ALTER TABLE cannot do this in place: the table is rebuilt (new table, "
                         "copy, drop, rename, indexes recreated) in one transaction")
        match op.op:
            case "create_table":
                effect = "create"
            case "drop_table":
                effect, cls = "destroy", "destructive"
                breaks.append(f"every query that reads or writes {t} fails")
            case "drop_column":
                effect, cls, kind = "destroy", "destructive", "rewrite"
                breaks.append(f"code that selects or writes {t}.{op.column} fails")
                notes.append("DROP COLUMN rewrites the whole table")
            case "rename_column" | "rename_table":
                cls = "breaking"
                breaks.append("queries that use the old name fail")
            case "add_index" | "add_unique_constraint":
                effect, kind = "index_build", "index"
                notes.append("SQLite has no concurrent index build: writers wait for the whole "
                             "build")
                if op.op == "add_unique_constraint" or op.unique:
                    cls = "breaking"
                    breaks.append("inserts of duplicate values start failing")
            case "backfill":
                effect, kind = "data_update", "backfill"
            case "set_not_null" | "add_foreign_key" | "add_check_constraint":
                cls = "breaking"
                breaks.append("writes that break the new rule start failing")
            case "alter_column_type":
                cls = "breaking"
                notes.append("SQLite stores values by type affinity: existing values are "
                             "converted only where the new affinity can represent them")
            case "add_column":
                if not op.column.nullable and op.column.default is None:
                    cls = "breaking"
        statement = "; ".join(self.render_action(a).splitlines()[-1] for a in actions
                              if not isinstance(a, A.RebuildTable))
        return OperationImpact(
            operation=self.describe(op), op=op.op, table=t, statement=statement or
            f"12-step rebuild of {t}", lock=self.lock_info(RESERVED), effect=effect, rows=rows,
            est_seconds=round(self.seconds(kind, rows), 3), classification=cls, breaks=breaks,
            notes=notes, algorithm="table rebuild" if rebuild else None)

    def monitoring(self, plan) -> list[MonitoringQuery]:
        return [
            MonitoringQuery(purpose="journal mode (WAL lets readers continue during a step)",
                            sql="PRAGMA journal_mode;"),
            MonitoringQuery(purpose="foreign key violations after the plan (should be none)",
                            sql="PRAGMA foreign_key_check;"),
            MonitoringQuery(purpose="database integrity after a rebuild",
                            sql="PRAGMA integrity_check;"),
        ]

    def plan_notes(self, plan, schema) -> list[str]:
        notes = ["SQLite has one writer for the whole database: each step holds the write lock "
                 "from BEGIN IMMEDIATE to COMMIT; set busy_timeout in the application so its "
                 "writes wait instead of failing with SQLITE_BUSY."]
        if any("migsmith_new_" in s.up_sql for s in plan.steps):
            notes.append("Table rebuilds follow SQLite's 12-step procedure "
                         "(https://www.sqlite.org/lang_altertable.html#otheralter): "
                         "PRAGMA foreign_keys=OFF outside the transaction, "
                         "legacy_alter_table=ON so the final rename neither rewrites nor "
                         "re-checks views and triggers that name the table, and "
                         "PRAGMA foreign_key_check before COMMIT.")
        if any(s.backfill for s in plan.steps):
            notes.append("Backfills commit per batch (key ranges sized from the row estimate, "
                         "at most 100 batches, then one last transaction for whatever lies "
                         "beyond the estimate); SQLite has no sleep, so `migsmith backfill` "
                         "is the way to pause between batches.")
        return notes
