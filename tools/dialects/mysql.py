"""MySQL 8 and MariaDB 10.11+: InnoDB online DDL, explicit algorithms, no transactional DDL.

The expand/contract recipes are PostgreSQL's (this class subclasses it); what differs is said
here:

- Every ALTER names its algorithm and lock (``ALGORITHM=INSTANT`` / ``INPLACE, LOCK=NONE`` /
  ``COPY, LOCK=SHARED``), so the server refuses a statement it cannot run that way instead of
  silently copying the table under a write lock. The rules are in ``online_rule`` with their
  sources (MySQL 8.0 "Online DDL Operations", MariaDB "InnoDB Online DDL Operations with the
  INSTANT/NOCOPY/INPLACE Alter Algorithm"), and were checked on MariaDB 10.11 by
  tests/dialects.
- DDL is not transactional: each statement commits on its own. Steps say so, and downs use
  IF [NOT] EXISTS (MariaDB) so they undo whatever part of a failed up ran.
- Preconditions cannot use DO blocks: a CASE over information_schema picks the first failed
  message, and a prepared statement built from it stops the script (SIGNAL on MariaDB; MySQL
  does not prepare SIGNAL, so the message itself is prepared and the server's syntax error
  quotes it). No stored routine is created for a check.
- Batched backfills are a stored procedure with a key-range loop that commits per batch; it is
  dropped at the end of the step. Scripts use the mysql client's DELIMITER lines, which
  ``split_script`` understands too.
- Locks are metadata-lock names as performance_schema.metadata_locks reports them.
- Column type changes that only COPY can do, and large-table rebuilds, get gh-ost and
  pt-online-schema-change command lines in the plan notes.
"""

from __future__ import annotations

import math
import re

from migsmith.tools.planning import actions as A
from migsmith.tools.dialects.base import Check, PlanContext, StepDraft, index_for, is_integer_type
from migsmith.tools.dialects.postgres import Postgres
from migsmith.tools.errors import SpecError
from migsmith.tools.spec.expressions import is_volatile
from migsmith.tools.spec.identifiers import bounded_name, sql_string
from migsmith.tools.planning.plan import ExpectedLock, LockInfo, MonitoringQuery, OperationImpact
from migsmith.tools.schema.model import Column, Constraint, Index

# Metadata lock types (performance_schema.metadata_locks.LOCK_TYPE).
MDL_EXCLUSIVE = "EXCLUSIVE"  # brief, at the start and end of every ALTER; blocks everything
MDL_SHARED_UPGRADABLE = "SHARED_UPGRADABLE"  # online DDL while it works: reads and writes go on
MDL_SHARED_NO_WRITE = "SHARED_NO_WRITE"  # ALGORITHM=COPY / LOCK=SHARED: writes wait
MDL_SHARED_WRITE = "SHARED_WRITE"  # DML (the backfill)
MDL_SHARED_READ = "SHARED_READ"

_BLOCKS = {
    MDL_EXCLUSIVE: (True, True),
    MDL_SHARED_NO_WRITE: (False, True),
    MDL_SHARED_UPGRADABLE: (False, False),
    MDL_SHARED_WRITE: (False, False),
    MDL_SHARED_READ: (False, False),
}

INSTANT = "ALGORITHM=INSTANT"
INPLACE = "ALGORITHM=INPLACE, LOCK=NONE"
COPY = "ALGORITHM=COPY, LOCK=SHARED"

# A rebuild that takes longer than this gets the gh-ost / pt-osc command lines in the notes.
OSC_THRESHOLD_SECONDS = 10.0

_LITERAL_DEFAULT = re.compile(
    r"^(-?\d+(\.\d+)?|'([^']|'')*'|NULL|TRUE|FALSE|CURRENT_TIMESTAMP(\(\d*\))?|NOW\(\))$",
    re.IGNORECASE)


class MySQL(Postgres):
    name = "mysql"
    default_version = "8.0"
    transactional_ddl = False
    supports_concurrent_index = False
    supports_not_valid = False

    def __init__(self, version: str | None = None):
        super().__init__(version)
        self.is_mariadb = self.version_text.lower().startswith("mariadb")
        # Column definitions by (table, column), recorded while planning: MySQL restates the
        # whole column (MODIFY) to change NULL-ness, and the actions carry only names.
        self._columns: dict[tuple[str, str], Column] = {}
        self.env.filters["default_sql"] = self.default_sql
        self.env.filters["guard"] = self.guard

    # --------------------------------------------------------------- capabilities
    @property
    def fast_default(self) -> bool:
        return True  # constant defaults are INSTANT (MySQL 8.0.12+, MariaDB 10.3+)

    @property
    def not_null_uses_check(self) -> bool:
        return False

    @property
    def instant_drop_column(self) -> bool:
        return self.version >= ((10, 4) if self.is_mariadb else (8, 0, 29))

    @property
    def instant_rename_column(self) -> bool:
        return self.version >= ((10, 5) if self.is_mariadb else (8, 0, 28))

    @property
    def instant_nullable(self) -> bool:
        return False  # measured on MariaDB 10.11: NULL <-> NOT NULL needs INPLACE (a rebuild)

    @property
    def if_exists_ddl(self) -> bool:
        """MariaDB has IF [NOT] EXISTS for columns, indexes and constraints; MySQL does not."""
        return self.is_mariadb

    def action_in_transaction(self, action: A.Action) -> bool:
        return False

    def lock_info(self, mode: str) -> LockInfo:
        reads, writes = _BLOCKS.get(mode, (True, True))
        return LockInfo(mode=mode, blocks_reads=reads, blocks_writes=writes)

    # --------------------------------------------------------------- SQL helpers
    def default_sql(self, text: str | None) -> str:
        """MySQL 8 needs parentheses around an expression default; literals stay bare."""
        if text is None:
            return "NULL"
        return text if _LITERAL_DEFAULT.match(text.strip()) else f"({text})"

    def coldef(self, table: str, column: str) -> Column:
        try:
            return self._columns[(table, column)]
        except KeyError:
            raise SpecError(f"internal: no definition recorded for {table}.{column}") from None

    def lock_wait_seconds(self, ms: int) -> int:
        return max(1, math.ceil(ms / 1000))

    def varchar_bytes(self, type_text: str) -> int | None:
        m = re.match(r"^(?:varchar|character varying)\((\d+)\)$", type_text.strip().lower())
        return int(m.group(1)) * 4 if m else None  # utf8mb4: up to 4 bytes a character

    def online_rule(self, action: A.Action) -> tuple[str, str]:
        """(ALGORITHM/LOCK clause, reason) for one ALTER TABLE action."""
        mdb = self.is_mariadb
        match action:
            case A.AddColumn(column=col):
                if col.default is not None and is_volatile(col.default, "mysql"):
                    return COPY, ("a non-deterministic default is computed per row: only "
                                  "ALGORITHM=COPY can add it")
                return INSTANT, ("adding a column is INSTANT (MySQL 8.0.12+, MariaDB 10.3+): "
                                 "metadata only")
            case A.DropColumn() | A.RestoreColumn():
                if isinstance(action, A.RestoreColumn):
                    return INSTANT, "re-adding the column is INSTANT"
                if self.instant_drop_column:
                    return INSTANT, ("dropping a column is INSTANT (MySQL 8.0.29+, "
                                     "MariaDB 10.4+)")
                return INPLACE, ("dropping a column rebuilds the table in place; reads and "
                                 "writes continue (LOCK=NONE)")
            case A.RenameColumn():
                if self.instant_rename_column:
                    return INSTANT, "renaming a column is INSTANT (MySQL 8.0.28+, MariaDB 10.5+)"
                return INPLACE, "renaming a column is in place, metadata only"
            case A.SetNotNull() | A.DropNotNull():
                return INPLACE, ("changing NULL / NOT NULL rebuilds the table in place; reads and "
                                 "writes continue (LOCK=NONE)")
            case A.AlterColumnType(old_type=old, new_type=new):
                ob, nb = self.varchar_bytes(old), self.varchar_bytes(new)
                if ob and nb and nb >= ob and (mdb or (ob < 256) == (nb < 256)):
                    if mdb:
                        return INSTANT, "extending a VARCHAR is INSTANT on MariaDB 10.4+"
                    return INPLACE, ("extending a VARCHAR within the same length-byte size "
                                     "(both under or both over 256 bytes) is in place")
                return COPY, (f"{old} -> {new} changes the stored data: only ALGORITHM=COPY "
                              "can do it, and it blocks writes for the whole copy")
            case A.SetDefault() | A.DropDefault():
                return INSTANT, "changing a default is INSTANT: metadata only"
            case A.CreateIndex() | A.DropIndex():
                return INPLACE, ("index builds and drops are in place: reads and writes continue "
                                 "(LOCK=NONE); the build is logged and replayed at the end")
            case A.AddConstraint(constraint=con, not_valid=True) if (
                    con.kind == "foreign_key" and mdb):
                return INSTANT, ("with foreign_key_checks=0 MariaDB adds a foreign key as "
                                 "metadata only (INSTANT); existing rows are checked by the "
                                 "step's precondition instead")
            case A.AddConstraint(constraint=con, not_valid=False) if con.kind == "foreign_key":
                return COPY, ("with foreign_key_checks on, InnoDB validates the existing rows "
                              "by copying the table (writes wait)")
            case A.AddConstraint(constraint=con) if con.kind == "foreign_key":
                return INPLACE, ("a foreign key is added in place only with foreign_key_checks=0 "
                                 "(otherwise ALGORITHM=COPY); existing rows are checked by the "
                                 "step's precondition instead")
            case A.AddConstraint(constraint=con) if con.kind in ("unique", "primary_key"):
                return INPLACE, "a unique key is an index build in place (LOCK=NONE)"
            case A.AddConstraint():
                return COPY, ("adding a CHECK constraint validates every row with "
                              "ALGORITHM=COPY, blocking writes (measured on MariaDB 10.11)")
            case A.DropConstraint(constraint=con):
                if con.kind == "check" and mdb:
                    return INSTANT, "dropping a CHECK constraint is INSTANT"
                return INPLACE, "dropping a constraint is in place, metadata only"
        return "", ""

    def online(self, action: A.Action) -> str:
        clause, _ = self.online_rule(action)
        return f", {clause}" if clause else ""

    def guard(self, statement: str, kind: str, table: str, name: str, present: bool,
              always: bool = False) -> str:
        """Run ``statement`` only if the column/index/constraint ``name`` is ``present`` (or
        absent). MariaDB says IF [NOT] EXISTS in the statement itself (see if_exists); MySQL 8
        has no such clause for columns, indexes and constraints, so the statement is prepared
        from a string chosen by an information_schema lookup (``always``: also on MariaDB, for
        statements with no IF EXISTS there, such as RENAME INDEX). Either way a down can follow
        an up that stopped part way."""
        statement = statement.strip()
        if (self.if_exists_ddl and not always) or not statement:
            return statement
        view, column = {"column": ("COLUMNS", "COLUMN_NAME"), "index": ("STATISTICS", "INDEX_NAME"),
                        "constraint": ("TABLE_CONSTRAINTS", "CONSTRAINT_NAME")}[kind]
        exists = (f"EXISTS (SELECT 1 FROM information_schema.{view} WHERE TABLE_SCHEMA = "
                  f"DATABASE() AND TABLE_NAME = {sql_string(table)} AND {column} = "
                  f"{sql_string(name)})")
        body = statement.rstrip(";")
        return (f"SET @migsmith_sql = IF({'' if present else 'NOT '}{exists},\n"
                f"    {sql_string(body)}, 'DO 0');\n"
                "PREPARE migsmith_stmt FROM @migsmith_sql;\nEXECUTE migsmith_stmt;\n"
                "DEALLOCATE PREPARE migsmith_stmt;")

    def if_exists(self) -> str:
        return "IF EXISTS " if self.if_exists_ddl else ""

    def if_not_exists(self) -> str:
        return "IF NOT EXISTS " if self.if_exists_ddl else ""

    def expected_locks(self, action: A.Action) -> list[ExpectedLock]:
        def lock(table, mode):
            return [ExpectedLock(table=table, mode=mode)]

        clause, _ = self.online_rule(action)
        table = getattr(action, "table", None)
        match action:
            case A.CreateIndex(index=idx) | A.DropIndex(index=idx):
                table = idx.table
            case A.AddConstraint(constraint=con) | A.DropConstraint(constraint=con):
                table = con.table
                if con.kind == "foreign_key" and con.ref_table:
                    return lock(table, MDL_SHARED_UPGRADABLE) + lock(con.ref_table, MDL_SHARED_READ)
            case A.Backfill(table=t):
                return lock(t, MDL_SHARED_WRITE)
            case A.SyncTrigger(table=t) | A.DropSyncTrigger(sync=A.SyncTrigger(table=t)):
                return lock(t, MDL_EXCLUSIVE)
            case A.RawComment() | A.Analyze() | A.ValidateConstraint():
                return []
            case A.CreateTable(table=tb) | A.DropTable(table=tb) | A.RestoreTable(table=tb):
                return lock(tb.name, MDL_EXCLUSIVE)
            case A.CreateView(table=t) | A.DropView(table=t):
                return lock(t, MDL_SHARED_READ)
        name = table.name if hasattr(table, "name") else table
        if not name:
            return []
        if clause.startswith("ALGORITHM=COPY"):
            return lock(name, MDL_SHARED_NO_WRITE)
        if clause == INPLACE:
            return lock(name, MDL_SHARED_UPGRADABLE)
        return lock(name, MDL_EXCLUSIVE)

    # --------------------------------------------------------------- planning
    # Words the shared (PostgreSQL-born) recipes use, said the MySQL way.
    _WORDING = ((" on the old column concurrently", " on the old column (INPLACE, LOCK=NONE)"),
                (" concurrently", " online (INPLACE, LOCK=NONE)"),
                ("pg_stat_statements", "performance_schema.events_statements_summary_by_digest"),
                ("ACCESS EXCLUSIVE", "exclusive metadata"))

    def plan_operation(self, op, ctx: PlanContext) -> list[StepDraft]:
        self._remember(ctx)
        drafts = super().plan_operation(op, ctx)
        for d in drafts:
            for old, new in self._WORDING:
                d.title = d.title.replace(old, new)
                d.deploy_note = d.deploy_note.replace(old, new)
        return drafts

    def simple_actions(self, op, ctx: PlanContext) -> list[A.Action]:
        self._remember(ctx)
        return super().simple_actions(op, ctx)

    def _remember(self, ctx: PlanContext) -> None:
        for table in ctx.schema.tables.values():
            for col in table.columns:
                self._columns.setdefault((table.name, col.name), col)

    def _copy_column_steps(self, op, ctx, new_name, new_type, *args, **kwargs):
        # The shadow column starts nullable without a default (see Postgres._copy_column_steps).
        self._columns[(op.table, new_name)] = Column(name=new_name, type=new_type, nullable=True)
        return super()._copy_column_steps(op, ctx, new_name, new_type, *args, **kwargs)

    def _index_step(self, index: Index, ctx: PlanContext, note: str, phase: str = "expand",
                    title: str | None = None) -> StepDraft:
        if index.where:
            raise SpecError(f"MySQL has no partial indexes (index {index.name} WHERE "
                            f"{index.where})",
                            hint="index the full column (drop 'where'), or index a generated "
                                 "column that is NULL outside the predicate")
        if index.method not in (None, "btree", "hash"):
            raise SpecError(f"MySQL (InnoDB) has no {index.method} indexes",
                            hint="use a btree index, or a FULLTEXT index created by hand")
        new_table = index.table in ctx.new_tables
        rows = ctx.rows(index.table)
        checks = [self._table_exists(index.table),
                  Check("index_missing", index.table, name=index.name,
                        message=f"index {index.name} does not exist yet")]
        if index.unique and not new_table:
            checks.append(Check("no_duplicates", index.table, columns=tuple(index.columns),
                                message=f"{index.table}({', '.join(index.columns)}) has no "
                                        "duplicates"))
        return StepDraft(
            title=title or f"build index {index.name} on {index.table}"
                           + ("" if new_table else " online (INPLACE, LOCK=NONE)"),
            phase=phase, actions=[A.CreateIndex(index, concurrently=False)], deploy_note=note,
            checks=checks, est_seconds=round(self.seconds("index", rows), 3))

    def _not_null_steps(self, table: str, column: str, ctx: PlanContext,
                        note: str) -> list[StepDraft]:
        rows = ctx.rows(table)
        checks = [self._col_exists(table, column)]
        if table not in ctx.new_tables and rows != 0:
            checks.append(Check("no_nulls", table, column,
                                message=f"no row has {column} NULL (backfill first otherwise)"))
        return [StepDraft(
            title=f"set {table}.{column} NOT NULL (online rebuild, INPLACE, LOCK=NONE)",
            phase="constrain", actions=[A.SetNotNull(table, column)],
            deploy_note=note + " The rebuild copies rows in the background; reads and writes "
                               "continue. It fails, changing nothing, if a NULL arrives meanwhile.",
            checks=checks, est_seconds=round(self.seconds("rewrite", rows), 3))]

    def plan_add_column(self, op, ctx):
        if op.column.default is not None and is_volatile(op.column.default, "mysql"):
            raise SpecError(f"a non-deterministic default ({op.column.default}) makes MySQL add "
                            f"{op.column.name} with ALGORITHM=COPY, blocking writes",
                            hint="add the column without a default, backfill it, then "
                                 "set_default (each step online)")
        return super().plan_add_column(op, ctx)

    def plan_alter_column_type(self, op, ctx):
        table = ctx.schema.table(op.table)
        col = table.column(op.column)
        if mysql_type_narrows(col.type, op.new_type) and not ctx.options.allow_data_loss:
            raise SpecError(f"{col.type} -> {op.new_type} narrows {op.table}.{col.name}: values "
                            "that do not fit would be lost or refused",
                            hint="set options.allow_data_loss=true after checking the data fits")
        action = self.simple_alter_column_type(op, ctx)[0]
        clause, why = self.online_rule(action)
        rows = ctx.rows(op.table)
        copying = clause == COPY and op.table not in ctx.new_tables
        note = ("Writes to the table wait for the whole copy (LOCK=SHARED): use a maintenance "
                "window, or run the gh-ost / pt-online-schema-change command from the plan "
                "notes instead of this step (same end state, no write block)."
                if copying else "Online: reads and writes continue.")
        back_clause, _ = self.online_rule(action.inverse()[0])
        return [StepDraft(
            title=f"change {op.table}.{col.name} to {op.new_type} ({clause.split(',')[0]})",
            phase="expand", actions=[action], deploy_note=note + " " + why + ".",
            checks=[self._col_exists(op.table, col.name)],
            lint_expect=self._copy_expected(clause, f"{col.type} -> {op.new_type}"),
            down_lint_expect=self._copy_expected(back_clause, f"{op.new_type} -> {col.type}"),
            est_seconds=round(self.seconds("rewrite" if copying else "ddl", rows), 3))]

    @staticmethod
    def _copy_expected(clause: str, what: str) -> list[tuple[str, str]]:
        """A COPY the server cannot avoid is named, with its reason, instead of hidden."""
        if clause != COPY:
            return []
        return [("mysql-require-algorithm-lock",
                 f"only ALGORITHM=COPY can do {what} (writes wait for the copy); on a large "
                 "table run the gh-ost / pt-online-schema-change command from the plan notes")]

    def simple_alter_column_type(self, op, ctx):
        col = ctx.schema.table(op.table).column(op.column)
        self._columns[(op.table, col.name)] = col
        return [A.AlterColumnType(op.table, col.name, col.type, op.new_type)]

    def plan_drop_index(self, op, ctx):
        table, idx = ctx.schema.find_index(op.name)
        return [StepDraft(title=f"drop index {op.name} on {table.name} (INPLACE, LOCK=NONE)",
                          phase="contract", actions=[A.DropIndex(idx, concurrently=False)],
                          deploy_note="No code change; watch for queries that get slower.")]

    def plan_add_foreign_key(self, op, ctx):
        con = self._fk_constraint(op)
        if op.table in ctx.new_tables:
            return [StepDraft(title=f"add foreign key {op.name}", phase="expand",
                              actions=[A.AddConstraint(con)], deploy_note="")]
        steps = self._fk_index_steps(op, ctx, "No code change. InnoDB needs an index on the "
                                              "referencing columns; building it first keeps the "
                                              "constraint step short.")
        steps.append(StepDraft(
            title=f"add foreign key {op.name} online (foreign_key_checks=0, INPLACE)",
            phase="constrain", actions=[A.AddConstraint(con, not_valid=True)],
            deploy_note="Before: deploy code that never writes a row without its parent. The "
                        "precondition proves existing rows have parents (a scan); with "
                        "foreign_key_checks=0 the ALTER itself does not re-check them, which is "
                        "what lets it run in place. New writes are checked from then on.",
            checks=[self._table_exists(op.table), self._table_exists(op.ref_table),
                    Check("constraint_missing", op.table, name=op.name,
                          message=f"constraint {op.name} does not exist yet"),
                    # name: the parent table; columns: the referencing, then the referenced ones
                    Check("no_orphans", op.table, name=op.ref_table,
                          columns=tuple(op.columns) + tuple(op.ref_columns),
                          message=f"every {op.table}({', '.join(op.columns)}) has a parent in "
                                  f"{op.ref_table}")],
            est_seconds=round(self.seconds("scan", ctx.rows(op.table)), 3)))
        return steps

    def plan_add_check_constraint(self, op, ctx):
        con = Constraint(name=op.name, table=op.table, kind="check", expression=op.expression)
        rows = ctx.rows(op.table)
        return [StepDraft(
            title=f"add check {op.name} (ALGORITHM=COPY: writes wait)", phase="constrain",
            actions=[A.AddConstraint(con)],
            deploy_note="Before: deploy code that only writes rows that pass the check. MySQL "
                        "has no NOT VALID: the check is validated by copying the table while "
                        "writes wait; on a large table run it in a quiet period or with gh-ost.",
            checks=[self._table_exists(op.table),
                    Check("constraint_missing", op.table, name=op.name,
                          message=f"constraint {op.name} does not exist yet")],
            lint_expect=self._copy_expected(COPY, "adding a CHECK constraint"),
            est_seconds=round(self.seconds("rewrite", rows), 3))]

    def plan_add_unique_constraint(self, op, ctx):
        con = Constraint(name=op.name, table=op.table, kind="unique", columns=list(op.columns),
                         index=op.name)
        new_table = op.table in ctx.new_tables
        checks = [Check("index_missing", op.table, name=op.name,
                        message=f"no index or constraint {op.name} exists yet")]
        if not new_table:
            checks.append(Check("no_duplicates", op.table, columns=tuple(op.columns),
                                message=f"{op.table}({', '.join(op.columns)}) has no duplicates"))
        return [StepDraft(
            title=f"add unique constraint {op.name} (index build, INPLACE, LOCK=NONE)",
            phase="constrain", actions=[A.AddConstraint(con)],
            deploy_note="Before: deploy code that never writes duplicates. In MySQL a unique "
                        "constraint is a unique index, built online.",
            checks=checks, est_seconds=round(self.seconds("index", ctx.rows(op.table)), 3))]

    def plan_drop_constraint(self, op, ctx):
        con = ctx.schema.table(op.table).constraint_named(op.name)
        if con is not None and con.kind == "primary_key":
            raise SpecError(f"dropping the primary key of {op.table} makes InnoDB rebuild the "
                            "table around a hidden row id (ALGORITHM=COPY, writes blocked), and "
                            "replication without a key gets slow",
                            hint="add the new unique NOT NULL key first, then swap keys in a "
                                 "maintenance window or with gh-ost")
        return [StepDraft(title=f"drop constraint {op.name} on {op.table}", phase="contract",
                          actions=[A.DropConstraint(con)],
                          deploy_note="No code change; the database stops enforcing the rule.",
                          checks=[Check("constraint_exists", op.table, name=op.name,
                                        message=f"constraint {op.name} exists")])]

    def has_alternative(self, op, ctx: PlanContext) -> bool:
        # These plans already are the plain statement (with its algorithm named).
        plain = ("add_index", "alter_column_type", "add_check_constraint",
                 "add_unique_constraint", "set_not_null")
        return super().has_alternative(op, ctx) and op.op not in plain

    # --------------------------------------------------------------- impact
    def impact(self, op, ctx: PlanContext) -> OperationImpact:
        imp = super().impact(op, ctx)
        self._remember(ctx)
        actions = [a for a in self.simple_actions(op, ctx) if not isinstance(a, A.RawComment)]
        rules = [(a, *self.online_rule(a)) for a in actions]
        rules = [r for r in rules if r[1]]
        imp.breaks = [b for b in imp.breaks if "cached plan" not in b]
        if op.op == "alter_column_type":
            imp.breaks.append("code and ORMs that map the column to the old type may misread "
                              "or reject values of the new one")
        notes = [n for n in imp.notes if "ACCESS EXCLUSIVE" not in n and "rewrite" not in n
                 and "CREATE INDEX blocks" not in n and "binary-compatible" not in n]
        if rules:
            # The slowest clause decides: COPY over INPLACE over INSTANT.
            order = {COPY: 0, INPLACE: 1, INSTANT: 2}
            action, clause, why = min(rules, key=lambda r: order.get(r[1], 3))
            imp.algorithm = clause
            locks = self.expected_locks(action)
            mode = locks[0].mode if locks else MDL_EXCLUSIVE
            imp.lock = self.lock_info(mode)
            notes.insert(0, why)
            if clause == COPY:
                imp.effect = "rewrite"
                imp.est_seconds = round(self.seconds("rewrite", imp.rows), 3)
            elif clause == INSTANT:
                imp.effect = "metadata" if imp.effect not in ("destroy", "create") else imp.effect
                imp.est_seconds = round(self.seconds("ddl", None), 3)
            elif isinstance(action, (A.SetNotNull, A.DropNotNull, A.DropColumn)):
                imp.effect = "rewrite"
                imp.est_seconds = round(self.seconds("rewrite", imp.rows), 3)
        elif op.op == "backfill":
            imp.lock = self.lock_info(MDL_SHARED_WRITE)
            notes = ["one UPDATE holds a row lock on every row it touches until it commits: "
                     "writers to those rows wait, and replicas lag by the whole statement"]
        else:
            imp.lock = self.lock_info(MDL_EXCLUSIVE)
        notes.append("MySQL DDL commits on its own: a failed statement does not roll back "
                     "the ones before it")
        imp.notes = notes
        imp.statement = self.plain_statement(actions) or imp.statement
        return imp

    _VERBS = ("ALTER ", "CREATE ", "DROP ", "RENAME ", "UPDATE ", "SET SESSION foreign_key")

    def plain_statement(self, actions: list[A.Action]) -> str:
        """The statements of ``actions`` as this server runs them (unwrapped from guards)."""
        out = []
        for action in actions:
            if isinstance(action, A.Backfill):
                continue
            for line in self.render_action(action).splitlines():
                text = line.strip()
                if text.startswith("'") and text.endswith("', 'DO 0');"):
                    text = text[1:-len("', 'DO 0');")].replace("''", "'") + ";"
                if text.startswith(self._VERBS) and not text.startswith("SET SESSION"):
                    out.append(text)
        return " ".join(out)

    # --------------------------------------------------------------- notes and monitoring
    def plan_notes(self, plan, schema) -> list[str]:
        notes = ["MySQL/MariaDB DDL is not transactional: every ALTER commits on its own. "
                 "Steps run outside a transaction; each down undoes whatever part of its up "
                 "ran" + (" (IF EXISTS / IF NOT EXISTS)." if self.if_exists_ddl else
                          " (on MySQL, skip down statements whose objects do not exist)."),
                 "Every ALTER names ALGORITHM and LOCK, so the server refuses it rather than "
                 "silently copying the table with writes blocked.",
                 "Even an INSTANT or LOCK=NONE ALTER takes an exclusive metadata lock for a "
                 "moment; it waits for open transactions on the table and every query queues "
                 "behind it meanwhile. SET SESSION lock_wait_timeout bounds that wait: on a "
                 "timeout, find the long transaction (Monitoring) and re-run the step."]
        if any("migsmith_backfill" in s.up_sql for s in plan.steps):
            notes.append("Backfills run as a stored procedure that commits after every batch "
                         "and is dropped at the end; creating it needs CREATE ROUTINE (and, "
                         "with binary logging on MySQL, log_bin_trust_function_creators or "
                         "SUPER).")
        if any("CREATE TRIGGER" in s.up_sql for s in plan.steps):
            notes.append("The dual-write triggers need the TRIGGER privilege. gh-ost cannot run "
                         "on a table that has triggers: finish or roll back this plan before "
                         "using it on the same table.")
        for imp in plan.impacts:
            if imp.op in ("alter_column_type", "add_check_constraint") or (
                    imp.algorithm == COPY or (imp.est_seconds or 0) > OSC_THRESHOLD_SECONDS
                    and imp.effect == "rewrite"):
                notes.extend(self.osc_commands(plan, schema, imp))
        return notes

    def osc_commands(self, plan, schema, imp) -> list[str]:
        """gh-ost and pt-online-schema-change lines that make the same change without a
        write block (they copy into a shadow table and swap it in)."""
        op = plan.spec.operations[[i.operation for i in plan.impacts].index(imp.operation)]
        alter = self.osc_alter(op, schema)
        if not alter or not imp.table:
            return []
        chunk = max(100, min(plan.spec.options.batch_size, 10_000))
        alter_sql = alter.replace('"', '\\"')
        return [
            f"gh-ost alternative for '{imp.operation}': gh-ost --host=<primary> "
            f"--database=<db> --table={imp.table} --alter=\"{alter_sql}\" "
            f"--chunk-size={chunk} --max-load=Threads_running=25 "
            "--critical-load=Threads_running=100 --max-lag-millis=1500 "
            "--cut-over=default --postpone-cut-over-flag-file=/tmp/ghost.postpone "
            "--initially-drop-ghost-table --assume-rbr --execute "
            "(needs binlog_format=ROW; remove the postpone file to cut over)",
            f"pt-online-schema-change alternative: pt-online-schema-change "
            f"--alter \"{alter_sql}\" D=<db>,t={imp.table} --chunk-size={chunk} "
            "--max-load Threads_running=25 --critical-load Threads_running=100 "
            "--set-vars lock_wait_timeout=5 --no-drop-old-table --execute "
            "(trigger based: the table must not have triggers of its own)",
        ]

    def osc_alter(self, op, schema) -> str | None:
        q = self.quote
        col = None
        if getattr(op, "column", None) and isinstance(op.column, str) and schema.has_table(op.table):
            table = schema.table(op.table)
            col = table.column(op.column) if table.has_column(op.column) else None
        match op.op:
            case "alter_column_type":
                if col is None:
                    return None
                null = "" if col.nullable else " NOT NULL"
                dflt = f" DEFAULT {self.default_sql(col.default)}" if col.default else ""
                return f"MODIFY {q(op.column)} {op.new_type}{dflt}{null}"
            case "add_check_constraint":
                return f"ADD CONSTRAINT {q(op.name)} CHECK ({op.expression})"
            case "set_not_null":
                return f"MODIFY {q(op.column)} {col.type} NOT NULL" if col else None
            case "drop_column":
                return f"DROP COLUMN {q(op.column)}"
        return None

    def monitoring(self, plan) -> list[MonitoringQuery]:
        tables = sorted({lk.table for s in plan.steps for lk in s.expected_locks})
        names = ", ".join(f"'{t}'" for t in tables) or "''"
        out = [
            MonitoringQuery(purpose="sessions waiting for a metadata lock, and what they run", sql=(
                "SELECT ID, TIME, STATE, LEFT(INFO, 80) AS query\n"
                "FROM information_schema.PROCESSLIST\n"
                "WHERE STATE LIKE 'Waiting for%lock%' ORDER BY TIME DESC;")),
            MonitoringQuery(purpose="long transactions that make DDL wait (and everyone behind it)",
                            sql=("SELECT trx_mysql_thread_id, trx_started, trx_state,\n"
                                 "       LEFT(trx_query, 80) AS query\n"
                                 "FROM information_schema.INNODB_TRX\n"
                                 "WHERE trx_started < NOW() - INTERVAL 1 MINUTE "
                                 "ORDER BY trx_started;")),
            MonitoringQuery(purpose="metadata locks on the tables this plan touches "
                                    "(needs performance_schema)", sql=(
                "SELECT OBJECT_NAME, LOCK_TYPE, LOCK_STATUS, OWNER_THREAD_ID\n"
                "FROM performance_schema.metadata_locks\n"
                f"WHERE OBJECT_SCHEMA = DATABASE() AND OBJECT_NAME IN ({names});")),
        ]
        if any("ALGORITHM=INPLACE" in s.up_sql for s in plan.steps):
            out.insert(0, MonitoringQuery(
                purpose="progress of online ALTERs (MySQL: performance_schema stages; MariaDB: "
                        "PROCESSLIST.PROGRESS)",
                sql=("SELECT ID, STAGE, MAX_STAGE, PROGRESS, LEFT(INFO, 60) AS query\n"
                     "FROM information_schema.PROCESSLIST WHERE COMMAND = 'Query' AND INFO LIKE "
                     "'ALTER%';" if self.is_mariadb else
                     "SELECT EVENT_NAME, WORK_COMPLETED, WORK_ESTIMATED\n"
                     "FROM performance_schema.events_stages_current\n"
                     "WHERE EVENT_NAME LIKE 'stage/innodb/alter%';")))
        for step in plan.steps:
            if step.backfill:
                bf = step.backfill
                cond = f" AND ({bf.where})" if bf.where else ""
                out.append(MonitoringQuery(
                    purpose=f"backfill progress of {bf.table}.{bf.column} (rows still to do)",
                    sql=(f"SELECT COUNT(*) AS rows_left FROM {self.quote(bf.table)}\n"
                         f"WHERE NOT ({self.quote(bf.column)} <=> ({bf.expression})){cond};")))
        return out

    def placeholder(self, type_text: str) -> str:
        base = type_text.lower()
        if base.startswith(("datetime", "timestamp")):
            return "'1970-01-01 00:00:01'"
        if base.startswith("date"):
            return "'1970-01-01'"
        if base.startswith("bool"):
            return "0"
        return super().placeholder(type_text)

    def backfill_procedure(self, action: A.Backfill) -> str:
        return bounded_name("migsmith_backfill", action.table.split(".")[-1], action.column,
                            dialect=self.name)


_INT_BYTES = {"tinyint": 1, "smallint": 2, "mediumint": 3, "int": 4, "integer": 4, "bigint": 8}


def mysql_type_narrows(old: str, new: str) -> bool:
    """Whether values of ``old`` may not fit ``new`` (MySQL type names)."""
    def parts(t: str):
        t = t.lower().strip()
        base, _, rest = t.partition("(")
        nums = [int(x) for x in re.findall(r"\d+", rest.split(")")[0])] if rest else []
        return base.replace(" unsigned", "").strip(), nums, "unsigned" in t

    ob, on, ou = parts(old)
    nb, nn, nu = parts(new)
    if ob in _INT_BYTES and nb in _INT_BYTES:
        return _INT_BYTES[nb] < _INT_BYTES[ob] or (_INT_BYTES[nb] == _INT_BYTES[ob] and ou != nu)
    if nb in ("varchar", "char") and on and nn:
        return nn[0] < on[0]
    if nb in ("varchar", "char") and ob in ("text", "mediumtext", "longtext"):
        return True
    if ob in ("decimal", "numeric") and nb in ("decimal", "numeric") and on and nn:
        return nn[0] < on[0] or (len(nn) > 1 and len(on) > 1 and nn[1] < on[1])
    if ob in ("double", "float", "decimal", "numeric", "real") and nb in _INT_BYTES:
        return True
    if ob in ("datetime", "timestamp") and nb == "date":
        return True
    return False


def split_script(sql: str) -> list[str]:
    """Split a MySQL script into statements the way the mysql client does: on ``;`` outside
    quotes and comments, honouring ``DELIMITER`` lines (used around stored procedures)."""
    statements: list[str] = []
    delimiter = ";"
    buf: list[str] = []
    i, n = 0, len(sql)
    quote: str | None = None
    at_line_start = True
    while i < n:
        ch = sql[i]
        if quote:
            buf.append(ch)
            if ch == "\\" and quote in "'\"" and i + 1 < n:
                buf.append(sql[i + 1])
                i += 2
                continue
            if ch == quote:
                quote = None
            i += 1
            at_line_start = False
            continue
        if at_line_start:
            line_end = sql.find("\n", i)
            line = sql[i: n if line_end == -1 else line_end]
            if line.strip().upper().startswith("DELIMITER "):
                rest = "".join(buf).strip()
                if rest:
                    statements.append(rest)
                buf = []
                delimiter = line.strip().split(None, 1)[1].strip()
                i = n if line_end == -1 else line_end + 1
                continue
        if sql.startswith("--", i) or ch == "#":
            end = sql.find("\n", i)
            i = n if end == -1 else end + 1
            at_line_start = True
            buf.append("\n")
            continue
        if sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            i = n if end == -1 else end + 2
            continue
        if ch in "'\"`":
            quote = ch
            buf.append(ch)
            i += 1
            at_line_start = False
            continue
        if sql.startswith(delimiter, i):
            stmt = "".join(buf).strip()
            if stmt:
                statements.append(stmt)
            buf = []
            i += len(delimiter)
            at_line_start = False
            continue
        buf.append(ch)
        at_line_start = ch == "\n"
        i += 1
    rest = "".join(buf).strip()
    if rest:
        statements.append(rest)
    return statements


def is_integer_key(type_text: str) -> bool:
    return is_integer_type(type_text)


__all__ = ["MySQL", "split_script", "mysql_type_narrows", "index_for"]
