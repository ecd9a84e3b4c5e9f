"""PostgreSQL: lock levels, rewrite rules per version, and the online recipes.

Lock modes are the names pg_locks reports. The rules come from the PostgreSQL documentation of
ALTER TABLE, CREATE INDEX and explicit locking, and are checked against real servers by
``migsmith verify`` (observed locks) in the test suite.
"""

from __future__ import annotations

from migsmith.tools.planning import actions as A
from migsmith.tools.planning import batches as backfill_sql
from migsmith.tools.dialects.base import Check, Dialect, PlanContext, StepDraft, index_for
from migsmith.tools.errors import SpecError
from migsmith.tools.spec.expressions import is_volatile
from migsmith.tools.spec.identifiers import bounded_name
from migsmith.tools.planning.plan import ExpectedLock, LockInfo, MonitoringQuery, OperationImpact
from migsmith.tools.schema.model import Column, Constraint, Index

ACCESS_EXCLUSIVE = "AccessExclusiveLock"
SHARE_UPDATE_EXCLUSIVE = "ShareUpdateExclusiveLock"
SHARE_ROW_EXCLUSIVE = "ShareRowExclusiveLock"
SHARE = "ShareLock"
ROW_EXCLUSIVE = "RowExclusiveLock"
ACCESS_SHARE = "AccessShareLock"
ROW_SHARE = "RowShareLock"

# What each lock mode blocks for ordinary traffic (SELECT takes AccessShare, DML RowExclusive).
_BLOCKS = {
    ACCESS_EXCLUSIVE: (True, True),
    "ExclusiveLock": (False, True),
    SHARE_ROW_EXCLUSIVE: (False, True),
    SHARE: (False, True),
    SHARE_UPDATE_EXCLUSIVE: (False, False),
    ROW_EXCLUSIVE: (False, False),
    ROW_SHARE: (False, False),
    ACCESS_SHARE: (False, False),
}

_LEVEL = {ACCESS_SHARE: 1, ROW_SHARE: 2, ROW_EXCLUSIVE: 3, SHARE_UPDATE_EXCLUSIVE: 4, SHARE: 5,
          SHARE_ROW_EXCLUSIVE: 6, "ExclusiveLock": 7, ACCESS_EXCLUSIVE: 8}
_MODE_SQL = {ACCESS_SHARE: "ACCESS SHARE", ROW_SHARE: "ROW SHARE", ROW_EXCLUSIVE: "ROW EXCLUSIVE",
             SHARE_UPDATE_EXCLUSIVE: "SHARE UPDATE EXCLUSIVE", SHARE: "SHARE",
             SHARE_ROW_EXCLUSIVE: "SHARE ROW EXCLUSIVE", "ExclusiveLock": "EXCLUSIVE",
             ACCESS_EXCLUSIVE: "ACCESS EXCLUSIVE"}

# Type changes PostgreSQL makes without rewriting the table (binary-coercible).
_VARLENA = ("character varying", "text")


def _type_parts(t: str) -> tuple[str, list[int]]:
    base, _, rest = t.partition("(")
    mods = [int(x) for x in rest.rstrip(")").split(",") if x.strip().isdigit()] if rest else []
    return base.strip(), mods


def type_change_rewrites(old: str, new: str) -> bool:
    ob, om = _type_parts(old)
    nb, nm = _type_parts(new)
    if ob in _VARLENA and nb == "text":
        return False
    if ob == nb == "character varying":
        return bool(nm) and bool(om) and nm[0] < om[0] if nm else False
    if ob == "text" and nb == "character varying" and not nm:
        return False
    if ob == nb == "numeric":
        if not nm:
            return False
        return not (om and len(om) == len(nm) and nm[0] >= om[0] and om[1:] == nm[1:])
    if ob == "cidr" and nb == "inet":
        return False
    return True


_INT_WIDTH = {"smallint": 2, "integer": 4, "bigint": 8}


def type_change_narrows(old: str, new: str) -> bool:
    """Whether values of ``old`` may not fit ``new`` (so data could be lost or refused)."""
    ob, om = _type_parts(old)
    nb, nm = _type_parts(new)
    if ob in _INT_WIDTH and nb in _INT_WIDTH:
        return _INT_WIDTH[nb] < _INT_WIDTH[ob]
    if nb == "character varying" and nm and (ob == "text" or (ob == nb and (not om or nm[0] < om[0]))):
        return True
    if ob == nb == "numeric" and nm and (not om or nm[0] < om[0] or nm[1:] < om[1:]):
        return True
    if ob in ("double precision", "numeric", "real") and nb in _INT_WIDTH:
        return True
    return False


class Postgres(Dialect):
    name = "postgres"
    default_version = "14"
    transactional_ddl = True
    supports_concurrent_index = True
    supports_not_valid = True

    # --------------------------------------------------------------- capabilities
    @property
    def fast_default(self) -> bool:
        return self.version >= (11,)

    @property
    def not_null_uses_check(self) -> bool:
        return self.version >= (12,)

    @property
    def commits_in_do(self) -> bool:
        return self.version >= (11,)

    def action_in_transaction(self, action: A.Action) -> bool:
        """False for what must commit on its own: concurrent index builds, batched backfills,
        and validation scans (inside a transaction that also added the constraint, the scan
        would run under that statement's ACCESS EXCLUSIVE lock)."""
        match action:
            case A.CreateIndex() | A.DropIndex():
                return not action.concurrently
            case A.Backfill():
                return action.batch_size == 0
            case A.ValidateConstraint():
                return False
            case A.SetNotNull():
                return action.check is None
            case A.RestoreColumn():
                return not action.online
        return True

    def locks_to_take(self, actions: list[A.Action]) -> list[tuple[str, str]]:
        created = {a.table.name for a in actions if isinstance(a, (A.CreateTable, A.RestoreTable))}
        created |= {a.name for a in actions if isinstance(a, A.CreateView)}
        # LOCK TABLE on a view also locks every table in its query, in the same mode: locking
        # the compatibility view up front would hold ACCESS EXCLUSIVE on the renamed table
        # itself, which DROP VIEW never takes. Found by migsmith verify (observed locks).
        created |= {a.name for a in actions if isinstance(a, A.DropView)}
        # A table renamed in this step is locked under its old name; its new name does not
        # exist yet when the locks are taken. Found by migsmith verify.
        created |= {a.new_name for a in actions if isinstance(a, A.RenameTable)}
        strongest: dict[str, str] = {}
        for action in actions:
            for lock in self.expected_locks(action):
                if lock.table in created:
                    continue
                if _LEVEL.get(lock.mode, 8) > _LEVEL.get(strongest.get(lock.table, ""), 0):
                    strongest[lock.table] = lock.mode
        # first-mention order: the order the step's own statements would take them
        return [(table, _MODE_SQL[mode]) for table, mode in strongest.items()
                if _BLOCKS.get(mode, (True, True))[1]]

    def lock_timeout_ms(self, actions, options, statement_ms: int) -> int:
        modes = {lk.mode for a in actions for lk in self.expected_locks(a)}
        if modes and all(not _BLOCKS.get(m, (True, True))[1] for m in modes) \
                and not any(isinstance(a, A.Backfill) for a in actions):
            return max(options.lock_timeout_ms, statement_ms or 0)
        return options.lock_timeout_ms

    def online_not_null(self, table: str, column: str) -> A.SetNotNull:
        return A.SetNotNull(table, column, check=bounded_name(
            table.split(".")[-1], column, suffix="not_null", dialect=self.name))

    def lock_info(self, mode: str) -> LockInfo:
        reads, writes = _BLOCKS.get(mode, (True, True))
        return LockInfo(mode=mode, blocks_reads=reads, blocks_writes=writes)

    def expected_locks(self, action: A.Action) -> list[ExpectedLock]:
        def lock(table, mode):
            return [ExpectedLock(table=table, mode=mode)]

        match action:
            case A.CreateIndex(index=idx, concurrently=c):
                return lock(idx.table, SHARE_UPDATE_EXCLUSIVE if c else SHARE)
            case A.DropIndex(index=idx, concurrently=c):
                return lock(idx.table, SHARE_UPDATE_EXCLUSIVE if c else ACCESS_EXCLUSIVE)
            case A.AddConstraint(constraint=con):
                if con.kind == "foreign_key":
                    return lock(con.table, SHARE_ROW_EXCLUSIVE) + lock(con.ref_table, SHARE_ROW_EXCLUSIVE)
                return lock(con.table, ACCESS_EXCLUSIVE)
            case A.ValidateConstraint(table=t, ref_table=ref):
                return lock(t, SHARE_UPDATE_EXCLUSIVE) + (lock(ref, ROW_SHARE) if ref else [])
            case A.DropConstraint(constraint=con):
                extra = lock(con.ref_table, ACCESS_EXCLUSIVE) if con.kind == "foreign_key" else []
                return lock(con.table, ACCESS_EXCLUSIVE) + extra
            case A.LockTable(table=t, mode=m):
                return lock(t, next(k for k, v in _MODE_SQL.items() if v == m))
            case A.Backfill(table=t):
                return lock(t, ROW_EXCLUSIVE)
            case A.SyncTrigger(table=t):
                return lock(t, SHARE_ROW_EXCLUSIVE)
            case A.DropSyncTrigger(sync=s):
                return lock(s.table, ACCESS_EXCLUSIVE)
            case A.Analyze(table=t):
                return lock(t, SHARE_UPDATE_EXCLUSIVE)
            case A.CreateView(table=t):
                return lock(t, ACCESS_SHARE)
            case A.DropView(name=n):
                return lock(n, ACCESS_EXCLUSIVE)
            case A.CreateTable(table=tb):
                return lock(tb.name, ACCESS_EXCLUSIVE)
            case A.RenameTable(table=t):
                return lock(t, ACCESS_EXCLUSIVE)
            case A.RawComment():
                return []
            case _:
                table = getattr(action, "table", None)
                name = table.name if hasattr(table, "name") else table
                return lock(name, ACCESS_EXCLUSIVE) if name else []

    # --------------------------------------------------------------- impact
    def impact(self, op, ctx: PlanContext) -> OperationImpact:
        rows = ctx.rows(op.table) if getattr(op, "table", None) else None
        if op.op == "drop_index":
            found = ctx.schema.find_index(op.name)
            rows = found[0].row_estimate if found else None
        mode, effect, cls, breaks, notes = ACCESS_EXCLUSIVE, "metadata", "additive", [], []
        kind = "ddl"
        stmt = ""
        t = getattr(op, "table", "")
        match op.op:
            case "create_table":
                effect, stmt = "create", f"CREATE TABLE {t} (...)"
            case "drop_table":
                effect, cls, stmt = "destroy", "destructive", f"DROP TABLE {t}"
                breaks.append(f"every query that reads or writes {t} fails")
            case "rename_table":
                cls, stmt = "breaking", f"ALTER TABLE {t} RENAME TO {op.new_name}"
                breaks.append(f"queries naming {t} fail with 'relation does not exist'")
            case "add_column":
                col = op.column
                stmt = f"ALTER TABLE {t} ADD COLUMN {col.name} {col.type}"
                if col.default is not None:
                    stmt += f" DEFAULT {col.default}"
                if not col.nullable:
                    stmt += " NOT NULL"
                volatile = is_volatile(col.default, self.name)
                if col.default is not None and (volatile or not self.fast_default):
                    effect, kind = "rewrite", "rewrite"
                    why = "volatile default" if volatile else "default before PostgreSQL 11"
                    notes.append(f"a {why} makes PostgreSQL rewrite every row under an "
                                 "ACCESS EXCLUSIVE lock")
                if not col.nullable and col.default is None:
                    cls = "breaking"
                    breaks.append(f"inserts that do not set {col.name} fail")
            case "drop_column":
                effect, cls, stmt = "destroy", "destructive", f"ALTER TABLE {t} DROP COLUMN {op.column}"
                breaks.append(f"code that selects or writes {t}.{op.column} fails; ORMs that "
                              "cache the column list fail until restarted")
            case "rename_column":
                cls, stmt = "breaking", f"ALTER TABLE {t} RENAME COLUMN {op.column} TO {op.new_name}"
                breaks.append(f"queries naming {t}.{op.column} fail with 'column does not exist'")
            case "alter_column_type":
                old = ctx.schema.table(t).column(op.column).type
                stmt = f"ALTER TABLE {t} ALTER COLUMN {op.column} TYPE {op.new_type}"
                cls = "destructive" if type_change_narrows(old, op.new_type) else "breaking"
                if type_change_rewrites(old, op.new_type):
                    effect, kind = "rewrite", "rewrite"
                    notes.append(f"{old} -> {op.new_type} is not binary-compatible: the table "
                                 "and all its indexes are rewritten under ACCESS EXCLUSIVE")
                    breaks.append("prepared statements and code that depend on the old type "
                                  "may fail ('cached plan must not change result type')")
                else:
                    notes.append(f"{old} -> {op.new_type} is binary-compatible: no rewrite")
                    cls = "destructive" if cls == "destructive" else "additive"
                if cls == "destructive":
                    breaks.append(f"values that do not fit {op.new_type} make the change fail "
                                  "or lose precision")
            case "set_not_null":
                stmt = f"ALTER TABLE {t} ALTER COLUMN {op.column} SET NOT NULL"
                effect, kind, cls = "scan", "scan", "breaking"
                notes.append("SET NOT NULL checks every row while holding ACCESS EXCLUSIVE")
                breaks.append(f"code that writes NULL into {op.column} starts failing")
            case "drop_not_null":
                stmt = f"ALTER TABLE {t} ALTER COLUMN {op.column} DROP NOT NULL"
                notes.append(f"readers that assume {op.column} is never NULL must cope with NULL")
            case "set_default":
                stmt = f"ALTER TABLE {t} ALTER COLUMN {op.column} SET DEFAULT {op.default}"
            case "drop_default":
                stmt = f"ALTER TABLE {t} ALTER COLUMN {op.column} DROP DEFAULT"
                col = ctx.schema.table(t).column(op.column)
                if not col.nullable:
                    cls = "breaking"
                    breaks.append(f"inserts that relied on the default for {op.column} fail")
            case "add_index":
                mode, effect, kind = SHARE, "index_build", "index"
                stmt = f"CREATE {'UNIQUE ' if op.unique else ''}INDEX {op.name} ON {t} ({', '.join(op.columns)})"
                notes.append("a plain CREATE INDEX blocks all writes until the build ends")
                if op.unique:
                    cls = "breaking"
                    breaks.append("inserts of duplicate values start failing")
            case "drop_index":
                found = ctx.schema.find_index(op.name)
                t = found[0].name if found else (op.table or "")
                stmt = f"DROP INDEX {op.name}"
                notes.append("queries that used this index get slower")
            case "add_foreign_key":
                mode, effect, kind, cls = SHARE_ROW_EXCLUSIVE, "scan", "scan", "breaking"
                stmt = (f"ALTER TABLE {t} ADD CONSTRAINT {op.name} FOREIGN KEY "
                        f"({', '.join(op.columns)}) REFERENCES {op.ref_table}")
                notes.append(f"validating scans {t} while writes to {t} and {op.ref_table} wait")
                breaks.append("writes of rows without a matching parent start failing")
            case "add_check_constraint":
                effect, kind, cls = "scan", "scan", "breaking"
                stmt = f"ALTER TABLE {t} ADD CONSTRAINT {op.name} CHECK ({op.expression})"
                notes.append("validating scans every row under ACCESS EXCLUSIVE")
                breaks.append("writes that violate the check start failing")
            case "add_unique_constraint":
                effect, kind, cls = "index_build", "index", "breaking"
                stmt = f"ALTER TABLE {t} ADD CONSTRAINT {op.name} UNIQUE ({', '.join(op.columns)})"
                notes.append("the unique index is built under ACCESS EXCLUSIVE: reads and "
                             "writes wait for the whole build")
                breaks.append("inserts of duplicate values start failing")
            case "drop_constraint":
                stmt = f"ALTER TABLE {t} DROP CONSTRAINT {op.name}"
                notes.append("the database stops enforcing this rule")
            case "backfill":
                mode, effect, kind = ROW_EXCLUSIVE, "data_update", "backfill"
                stmt = f"UPDATE {t} SET {op.column} = {op.expression}"
                if op.where:
                    stmt += f" WHERE {op.where}"
                notes.append("one UPDATE holds a row lock on every row it touches until it "
                             "commits: writers to those rows wait, and the table bloats")
        if t and t in ctx.new_tables and op.op != "create_table":
            cls, breaks = "additive", []  # nothing runs against a table this plan creates
            notes.append(f"{t} is created by this plan: no rows and no readers yet")
        est = self.seconds("index" if kind == "index" else kind, rows)
        if kind == "backfill":
            # the plain single UPDATE runs at rewrite speed; the batched plan at backfill speed
            est = self.seconds("rewrite", rows)
        return OperationImpact(
            operation=self.describe(op), op=op.op, table=t or None, statement=stmt,
            lock=self.lock_info(mode), effect=effect, rows=rows, est_seconds=round(est, 3),
            classification=cls, breaks=breaks, notes=notes)

    # --------------------------------------------------------------- monitoring
    def monitoring(self, plan) -> list[MonitoringQuery]:
        out = [
            MonitoringQuery(purpose="sessions waiting on a lock, and who blocks them", sql=(
                "SELECT pid, wait_event_type, wait_event, pg_blocking_pids(pid) AS blocked_by,\n"
                "       now() - query_start AS waiting_for, left(query, 80) AS query\n"
                "FROM pg_stat_activity WHERE wait_event_type = 'Lock';")),
            MonitoringQuery(purpose="locks held or requested on the tables this plan touches", sql=(
                "SELECT l.relation::regclass, l.mode, l.granted, a.pid, left(a.query, 60)\n"
                "FROM pg_locks l JOIN pg_stat_activity a USING (pid)\n"
                "WHERE l.relation::regclass::text IN (" + ", ".join(
                    sorted({f"'{t}'" for s in plan.steps for t in (lk.table for lk in s.expected_locks)})
                    or ["''"]) + ");")),
            MonitoringQuery(purpose="long transactions that would make DDL wait (and everyone behind it)", sql=(
                "SELECT pid, now() - xact_start AS xact_age, state, left(query, 80)\n"
                "FROM pg_stat_activity WHERE xact_start < now() - interval '1 minute'\n"
                "ORDER BY xact_start;")),
        ]
        if any(isinstance_action(s, "CREATE INDEX CONCURRENTLY") for s in plan.steps):
            out.insert(0, MonitoringQuery(purpose="progress of concurrent index builds", sql=(
                "SELECT pid, relid::regclass, index_relid::regclass, phase,\n"
                "       blocks_done, blocks_total, tuples_done, tuples_total\n"
                "FROM pg_stat_progress_create_index;")))
        for step in plan.steps:
            if step.backfill:
                bf = step.backfill
                out.append(MonitoringQuery(
                    purpose=f"backfill progress of {bf.table}.{bf.column}: rows done / rows "
                            "total (one full scan: run it now and then)",
                    sql=backfill_sql.progress_sql(bf, self.name) + ";"))
                out.append(MonitoringQuery(
                    purpose=f"backfill of {bf.table}.{bf.column}: last committed key (resume point)",
                    sql=("SELECT pid, application_name, now() - xact_start AS batch_age\n"
                         "FROM pg_stat_activity WHERE application_name LIKE 'migsmith backfill%';")))
        return out

    # --------------------------------------------------------------- recipes
    def _table_exists(self, table: str) -> Check:
        return Check("table_exists", table, message=f"table {table} exists")

    def _col_exists(self, table: str, column: str) -> Check:
        return Check("column_exists", table, column, message=f"column {table}.{column} exists")

    def _col_missing(self, table: str, column: str) -> Check:
        return Check("column_missing", table, column,
                     message=f"column {table}.{column} does not exist yet")

    def _index_step(self, index: Index, ctx: PlanContext, note: str, phase: str = "expand",
                    title: str | None = None) -> StepDraft:
        new_table = index.table in ctx.new_tables
        rows = ctx.rows(index.table)
        checks = [self._table_exists(index.table)]
        if not new_table:
            checks.append(Check("no_invalid_index", index.table, name=index.name,
                                message=f"no invalid index {index.name} is left from a failed build"))
        if index.unique and not new_table:
            checks.append(Check("no_duplicates", index.table, columns=tuple(index.columns),
                                name=index.where,
                                message=f"{index.table}({', '.join(index.columns)}) has no duplicates"))
        actions: list[A.Action] = [A.CreateIndex(index, concurrently=not new_table)]
        if not new_table:
            actions.append(A.Analyze(index.table))
        return StepDraft(
            title=title or f"build index {index.name} on {index.table}"
                           + ("" if new_table else " concurrently"),
            phase=phase, actions=actions, deploy_note=note, checks=checks,
            est_seconds=round(self.seconds("index", rows) * (1 if new_table else 2), 3),
            lint_expect=[("require-concurrent-index-creation", f"{index.table} is created by "
                          "this plan: empty, nobody reads it yet")] if new_table else [],
            down_lint_expect=[("require-concurrent-index-deletion", f"{index.table} is created "
                               "by this plan: nobody reads it yet")] if new_table else [])

    def _not_null_steps(self, table: str, column: str, ctx: PlanContext,
                        note: str) -> list[StepDraft]:
        rows = ctx.rows(table)
        if table in ctx.new_tables or rows == 0:
            return [StepDraft(title=f"set {table}.{column} NOT NULL", phase="constrain",
                              actions=[A.SetNotNull(table, column)], deploy_note=note,
                              checks=[self._col_exists(table, column)])]
        chk = Constraint(name=bounded_name(table.split(".")[-1], column, suffix="not_null",
                                           dialect=self.name),
                         table=table, kind="check", columns=[column],
                         expression=f"{self.quote(column)} IS NOT NULL")
        add = StepDraft(
            title=f"add CHECK ({column} IS NOT NULL) NOT VALID on {table}", phase="constrain",
            actions=[A.AddConstraint(chk, not_valid=True)],
            deploy_note=note, checks=[self._col_exists(table, column)])
        validate = StepDraft(
            title=f"validate the NOT NULL check on {table} (scans, does not block)",
            phase="constrain", actions=[A.ValidateConstraint(table, chk.name)],
            deploy_note="No code change. The scan runs under SHARE UPDATE EXCLUSIVE: reads and "
                        "writes continue.",
            checks=[Check("no_nulls", table, column,
                          message=f"no row has {column} NULL (backfill first otherwise)")],
            est_seconds=round(self.seconds("scan", rows), 3))
        if not self.not_null_uses_check:
            validate.deploy_note += (f" On PostgreSQL {self.version_text} SET NOT NULL would scan "
                                     "again under ACCESS EXCLUSIVE, so the validated CHECK "
                                     "constraint stays as the enforcement.")
            return [add, validate]
        finish = StepDraft(
            title=f"set {table}.{column} NOT NULL using the validated check, then drop the check",
            phase="constrain",
            actions=[A.SetNotNull(table, column), A.DropConstraint(chk)],
            deploy_note="No code change. PostgreSQL 12+ skips the full scan because a valid "
                        "CHECK (col IS NOT NULL) already proves it.",
            checks=[self._col_exists(table, column),
                    Check("constraint_validated", table, name=chk.name,
                          message=f"check {chk.name} exists and is validated")],
            lint_expect=[
                ("adding-not-nullable-field", f"the validated check {chk.name} proves the column "
                 "has no NULLs, so PostgreSQL 12+ sets NOT NULL without scanning (the "
                 "precondition checks it is valid)"),
                ("set-not-null-without-check", f"validated in the previous step ({chk.name})"),
                ("ban-drop-constraint", f"{chk.name} is the temporary check this plan added")])
        return [add, validate, finish]

    def _backfill_step(self, table_name: str, column: str, expression: str, where: str | None,
                       ctx: PlanContext, note: str, *, guard_null: bool = False,
                       phase: str = "backfill") -> StepDraft:
        table = ctx.schema.table(table_name)
        rows = ctx.rows(table_name)
        bf = self.backfill_plan(table, column, expression, where, ctx.options, rows)
        if guard_null:
            bf.where = f"{self.quote(column)} IS NULL" + (f" AND ({where})" if where else "")
        batches = -(-(rows or 0) // bf.batch_size) if rows else None
        est = self.seconds("backfill", rows)
        if batches:
            est += batches * bf.pause_ms / 1000
        return StepDraft(
            title=f"backfill {table_name}.{column} in batches of {bf.batch_size}", phase=phase,
            actions=[self.backfill_action(bf)], deploy_note=note, backfill=bf,
            checks=[self._col_exists(table_name, column)], est_seconds=round(est, 3))

    # one plan_* per operation ---------------------------------------------------
    def plan_create_table(self, op, ctx):
        table = self.table_model(op)
        ctx.new_tables.add(op.table)
        return [StepDraft(title=f"create table {op.table}", phase="expand",
                          actions=[A.CreateTable(table)],
                          deploy_note="Additive: deploy code that uses the table after this step.",
                          checks=[Check("table_missing", op.table,
                                        message=f"table {op.table} does not exist yet")])]

    def simple_create_table(self, op, ctx):
        return [A.CreateTable(self.table_model(op))]

    def plan_drop_table(self, op, ctx):
        table = ctx.schema.table(op.table)
        if op.table in ctx.new_tables:
            return [StepDraft(title=f"drop table {op.table}", phase="contract",
                              actions=[A.DropTable(table, created_here=True)], deploy_note="")]
        retired = bounded_name(op.table.split(".")[-1], suffix="retired", dialect=self.name)
        if "." in op.table:
            retired = op.table.split(".")[0] + "." + retired
        retired_table = table.model_copy(deep=True)
        retired_table.name = retired
        return [
            StepDraft(title=f"retire table {op.table} (rename to {retired})", phase="contract",
                      actions=[A.RenameTable(op.table, retired)],
                      deploy_note=f"Before: deploy code that no longer reads or writes "
                                  f"{op.table}. The rename keeps the data for a quick rollback "
                                  "(its down renames it back) while you watch for errors.",
                      checks=[self._table_exists(op.table)],
                      lint_expect=[("renaming-table", "the table is being retired: code stopped "
                                    "using it before this step")],
                      down_lint_expect=[("renaming-table", "the retired table gets its name back")]),
            StepDraft(title=f"drop table {retired} for good", phase="contract",
                      actions=[A.DropTable(retired_table)],
                      deploy_note="After a quiet period with no errors. Take a backup first: "
                                  "the rows cannot come back through a migration.",
                      checks=[self._table_exists(retired)],
                      lint_expect=[("ban-drop-table", "requested with allow_data_loss, after the "
                                    "retire step gave a rollback window")]),
        ]

    def simple_drop_table(self, op, ctx):
        return [A.DropTable(ctx.schema.table(op.table))]

    def plan_rename_table(self, op, ctx):
        if op.table in ctx.new_tables:
            return [StepDraft(title=f"rename table {op.table} to {op.new_name}", phase="expand",
                              actions=[A.RenameTable(op.table, op.new_name)], deploy_note="")]
        columns = tuple(c.name for c in ctx.schema.table(op.table).columns)
        return [
            StepDraft(
                title=f"rename {op.table} to {op.new_name}, keep {op.table} as a view",
                phase="expand",
                actions=[A.RenameTable(op.table, op.new_name),
                         A.CreateView(op.table, op.new_name, columns)],
                deploy_note=f"No code change needed first: the simple view {op.table} is "
                            f"updatable, so code using the old name keeps reading and writing. "
                            f"Then deploy code that uses {op.new_name}.",
                checks=[self._table_exists(op.table),
                        Check("table_missing", op.new_name,
                              message=f"no table {op.new_name} exists yet")],
                lint_expect=[("renaming-table", f"a view named {op.table} keeps old code working "
                              "until the contract step")],
                down_lint_expect=[("ban-drop-view", "it is the compatibility view this step "
                                   "added"),
                                  ("renaming-table", "the rename is undone")]),
            StepDraft(
                title=f"drop the compatibility view {op.table}", phase="contract",
                actions=[A.DropView(op.table, op.new_name, columns)],
                deploy_note=f"Before: every deployed service uses {op.new_name} (check "
                            f"pg_stat_statements for queries on {op.table}).",
                checks=[self._table_exists(op.new_name)],
                lint_expect=[("ban-drop-view", "it is the compatibility view this plan added")]),
        ]

    def simple_rename_table(self, op, ctx):
        return [A.RenameTable(op.table, op.new_name)]

    def plan_add_column(self, op, ctx):
        col = self.column_model(op.column)
        rows = ctx.rows(op.table)
        volatile = is_volatile(col.default, self.name)
        populated = op.table not in ctx.new_tables and rows != 0
        checks = [self._table_exists(op.table), self._col_missing(op.table, col.name)]
        note = (f"Additive: old code keeps working. Then update the model/type definition with "
                f"{col.name} and deploy code that uses it.")
        if not populated or col.default is None or (self.fast_default and not volatile):
            return [StepDraft(title=f"add column {op.table}.{col.name}", phase="expand",
                              actions=[A.AddColumn(op.table, col)], deploy_note=note,
                              checks=checks)]
        # A volatile default (or any default before PG 11) would rewrite the table: add the
        # column bare, give new rows the default, backfill old rows in batches, then constrain.
        bare = col.model_copy(update={"default": None, "nullable": True})
        steps = [StepDraft(
            title=f"add column {op.table}.{col.name} (nullable, default for new rows)",
            phase="expand",
            actions=[A.AddColumn(op.table, bare), A.SetDefault(op.table, col.name, col.default)],
            deploy_note=note, checks=checks)]
        steps.append(self._backfill_step(op.table, col.name, col.default, None, ctx,
                                         "No code change; safe to run while traffic flows.",
                                         guard_null=True))
        if not col.nullable:
            steps += self._not_null_steps(op.table, col.name, ctx, "No code change.")
        return steps

    def simple_add_column(self, op, ctx):
        return [A.AddColumn(op.table, self.column_model(op.column))]

    def plan_drop_column(self, op, ctx):
        table = ctx.schema.table(op.table)
        col = table.column(op.column)
        if op.table in ctx.new_tables:
            return [StepDraft(title=f"drop column {op.table}.{col.name}", phase="contract",
                              actions=[A.DropColumn(op.table, col, added_here=True)], deploy_note="")]
        steps = []
        if not col.nullable and col.default is None:
            steps.append(StepDraft(
                title=f"allow NULL in {op.table}.{col.name} so code can stop writing it",
                phase="expand", actions=[A.DropNotNull(op.table, col.name)],
                deploy_note=f"Then deploy code that neither reads nor writes {col.name} "
                            "(ORMs: mark the column ignored so it leaves cached column lists).",
                checks=[self._col_exists(op.table, col.name)],
                lint_expect=[("ban-drop-not-null", "the column is on its way out: code must be "
                              "able to stop writing it first")]))
            col = col.model_copy(update={"nullable": True})
        # The drop's down re-creates the column as it was at the start (NOT NULL, placeholder
        # values): re-created nullable, the NULLs would make the first step's down (SET NOT
        # NULL) fail, and the rollback could never finish. Found by migsmith verify.
        dropped = table.column(op.column)
        for idx in table.indexes_on(col.name):
            if idx.primary or any(c.index == idx.name for c in table.constraints):
                continue
            steps.append(StepDraft(
                title=f"drop index {idx.name} on {op.table} concurrently", phase="contract",
                actions=[A.DropIndex(idx, concurrently=True)],
                deploy_note="Before: code no longer reads the column."))
        cons = [c for c in table.constraints_on(col.name) if c.kind != "primary_key"]
        steps.append(StepDraft(
            title=f"drop column {op.table}.{col.name}", phase="contract",
            actions=[A.DropConstraint(c) for c in cons] + [A.DropColumn(op.table, dropped)],
            deploy_note=f"Before: deploy code that no longer uses {col.name}. Take a backup: "
                        "the values cannot come back through a migration.",
            checks=[self._col_exists(op.table, col.name)],
            lint_expect=[("ban-drop-column", "requested with allow_data_loss, after code stopped "
                          "using the column")]
            + ([("ban-drop-constraint", "constraints on the dropped column go with it")]
               if cons else [])))
        return steps

    def simple_drop_column(self, op, ctx):
        return [A.DropColumn(op.table, ctx.schema.table(op.table).column(op.column))]

    def _dual_column_refusal(self, table, col, what: str) -> None:
        if col.name in table.primary_key:
            raise SpecError(f"{what} of primary-key column {table.name}.{col.name} needs a "
                            "key swap that migsmith does not automate",
                            hint="set options.downtime_allowed=true for the simple plan with a "
                                 "maintenance window")

    def _sync(self, table: str, old: str, new: str, to_new: str, to_old: str) -> A.SyncTrigger:
        short = table.split(".")[-1]
        return A.SyncTrigger(table=table, old_column=old, new_column=new,
                             function=bounded_name(short, old, new, suffix="sync"),
                             trigger=bounded_name(short, old, new, suffix="sync_trg"),
                             to_new=to_new, to_old=to_old)

    def _copy_column_steps(self, op, ctx, new_name: str, new_type: str, to_new: str,
                           to_old: str, purpose: str
                           ) -> tuple[list[StepDraft], A.SyncTrigger, list[A.Action]]:
        """Expand and backfill a shadow column kept in sync by a trigger.

        Also returns the renames that give the copied indexes and constraints their original
        names once the old column is gone, so the plan ends where a plain rename would."""
        renames: list[A.Action] = []
        table = ctx.schema.table(op.table)
        col = table.column(op.column)
        if ctx.schema.referencing(table.name, col.name):
            ref = ctx.schema.referencing(table.name, col.name)[0]
            raise SpecError(f"{table.name}.{col.name} is referenced by foreign key {ref.name} "
                            f"on {ref.table}; {purpose} online would orphan it",
                            hint="set options.downtime_allowed=true for the simple plan")
        self._dual_column_refusal(table, col, purpose)
        sync = self._sync(op.table, col.name, new_name, to_new, to_old)
        new_col = Column(name=new_name, type=new_type, nullable=True)
        steps = [StepDraft(
            title=f"add {op.table}.{new_name} and a trigger that keeps it in step with {col.name}",
            phase="expand", actions=[A.AddColumn(op.table, new_col), sync],
            deploy_note=f"No code change needed first: the trigger copies every write of "
                        f"{col.name} into {new_name} and back, so old and new code can run side "
                        "by side (this is the dual-write, done by the database).",
            checks=[self._col_exists(op.table, col.name), self._col_missing(op.table, new_name)])]
        steps.append(self._backfill_step(op.table, new_name, to_new.replace("NEW.", ""), None, ctx,
                                         "No code change; runs while traffic flows."))
        # No default on the new column while both run: a BEFORE trigger cannot tell a default
        # from a value the writer chose, so a default here would overwrite old code's writes.
        # The default moves over when the old column goes (contract, or the swap).
        if not col.nullable:
            steps += self._not_null_steps(op.table, new_name, ctx, "No code change.")
        for idx in table.indexes_on(col.name):
            if idx.primary:
                continue
            if any(c != col.name and not table.has_column(c) for c in idx.columns) or idx.where:
                continue  # expression and partial indexes are named in the notes instead
            copy_name = (idx.name.replace(col.name, new_name, 1) if col.name in idx.name
                         else bounded_name(idx.name, new_name, dialect=self.name))
            if table.index_named(copy_name) or len(copy_name) > 63:
                copy_name = bounded_name(idx.name, new_name, dialect=self.name)
            copy = Index(name=copy_name,
                         table=op.table, unique=idx.unique, method=idx.method,
                         columns=[new_name if c == col.name else c for c in idx.columns])
            steps.append(self._index_step(copy, ctx, "No code change.", phase="constrain",
                                          title=f"copy index {idx.name} onto {new_name}"))
            backing = next((c for c in table.constraints
                            if c.index == idx.name and c.kind == "unique"), None)
            if backing is not None:  # a unique constraint stays a constraint, not just an index
                con = backing.model_copy(update={"name": copy_name, "index": copy_name,
                                                 "columns": list(copy.columns)})
                steps.append(StepDraft(
                    title=f"attach {copy_name} as unique constraint (no scan)", phase="constrain",
                    actions=[A.AddConstraint(con, using_index=copy_name)],
                    deploy_note="No code change; a brief lock, the index is already built."))
                renames.append(A.RenameConstraint(op.table, copy_name, backing.name, unique=True))
            elif copy_name != idx.name:
                renames.append(A.RenameIndex(op.table, copy_name, idx.name))
        for con in table.constraints:
            if con.kind != "check" or not con.expression or col.name not in con.columns + \
                    column_refs(con.expression) or con.name.endswith("_not_null"):
                continue
            check = con.model_copy(update={
                "name": bounded_name(con.name, new_name, dialect=self.name)
                if col.name not in con.name else con.name.replace(col.name, new_name, 1),
                "columns": [new_name if c == col.name else c for c in con.columns],
                "expression": rename_column_in(con.expression, col.name, new_name)})
            renames.append(A.RenameConstraint(op.table, check.name, con.name))
            steps.append(StepDraft(
                title=f"copy check {con.name} onto {new_name} NOT VALID", phase="constrain",
                actions=[A.AddConstraint(check, not_valid=True)],
                deploy_note="No code change: rows written from now on are checked."))
            steps.append(StepDraft(
                title=f"validate check {check.name} (scans, does not block)", phase="constrain",
                actions=[A.ValidateConstraint(op.table, check.name)], deploy_note="No code change.",
                est_seconds=round(self.seconds("scan", ctx.rows(op.table)), 3)))
        # Foreign keys move to the new column too (NOT VALID, then validated): otherwise the
        # renamed or retyped column silently loses its reference when the old one is dropped.
        # Found by migsmith verify (the state after up, compared with the spec).
        for con in table.constraints:
            if con.kind != "foreign_key" or con.columns != [col.name]:
                continue
            fk = con.model_copy(update={"columns": [new_name], "name": bounded_name(
                op.table.split(".")[-1], new_name, suffix="fkey", dialect=self.name)})
            renames.append(A.RenameConstraint(op.table, fk.name, con.name))
            steps.append(StepDraft(
                title=f"copy foreign key {con.name} onto {new_name} NOT VALID", phase="constrain",
                actions=[A.LockTable(con.ref_table, "SHARE ROW EXCLUSIVE"),
                         A.AddConstraint(fk, not_valid=True)],
                deploy_note="No code change: rows written from now on are checked."))
            steps.append(StepDraft(
                title=f"validate foreign key {fk.name} (scans, does not block writes)",
                phase="constrain", actions=[A.ValidateConstraint(op.table, fk.name, con.ref_table)],
                deploy_note="No code change.",
                est_seconds=round(self.seconds("scan", ctx.rows(op.table)), 3)))
        return steps, sync, renames

    def plan_rename_column(self, op, ctx):
        if op.table in ctx.new_tables:
            return [StepDraft(title=f"rename {op.table}.{op.column} to {op.new_name}",
                              phase="expand", deploy_note="",
                              actions=[A.RenameColumn(op.table, op.column, op.new_name)])]
        table = ctx.schema.table(op.table)
        col = table.column(op.column)
        steps, sync, renames = self._copy_column_steps(
            op, ctx, op.new_name, col.type, f"NEW.{self.quote(col.name)}",
            f"NEW.{self.quote(op.new_name)}", "a rename")
        steps += self._contract_old_column(op, ctx, col, sync, self.quote(op.new_name), renames,
                                           f"deploy code that reads and writes only {op.new_name}")
        return steps

    def _contract_old_column(self, op, ctx, col: Column, sync: A.SyncTrigger, copy_from: str,
                             renames: list[A.Action],
                             before: str, *, moved_default: bool = False) -> list[StepDraft]:
        table = ctx.schema.table(op.table)
        steps = []
        for idx in table.indexes_on(col.name):
            if idx.primary or any(c.index == idx.name for c in table.constraints):
                continue
            steps.append(StepDraft(title=f"drop index {idx.name} on the old column concurrently",
                                   phase="contract", actions=[A.DropIndex(idx, concurrently=True)],
                                   deploy_note=f"Before: {before}."))
        other = sync.new_column if sync.old_column == col.name else sync.old_column
        cons = [c for c in table.constraints_on(col.name) if c.kind != "primary_key"]
        move_default = ([A.SetDefault(op.table, other, col.default)]
                        if col.default is not None and not moved_default else [])
        copy = None
        if len(table.batch_key()) == 1:
            bf = self.backfill_plan(table, col.name, copy_from, None, ctx.options,
                                    ctx.rows(op.table))
            copy = self.backfill_action(bf)
        steps.append(StepDraft(
            title=f"drop the sync trigger and the old column {op.table}.{col.name}",
            phase="contract",
            actions=[A.DropSyncTrigger(sync, reinstall=False)]
                    + [A.DropConstraint(c) for c in cons]
                    + [A.DropColumn(op.table, col, copy_from=copy_from, sync=sync, copy=copy)]
                    + move_default + renames,
            lint_expect=[("ban-drop-column", f"the values of {col.name} live on in {other}; the "
                          "down re-creates the column and copies them back online"),
                         ("ban-drop-function", "it is the sync trigger function this plan added")]
            + ([("renaming-object", "the copies take back the original index and constraint "
                 "names, so the plan ends where a plain rename would")] if renames else []),
            down_lint_expect=([("ban-drop-default", f"the default moves back to {col.name}")]
                              if move_default else [])
            + ([("renaming-object", "the copies get their temporary names back")]
               if renames else []),
            deploy_note=f"Before: {before}, and let it run long enough to trust it. The down "
                        f"of this step re-creates {col.name} and copies the data back.",
            checks=[self._col_exists(op.table, col.name), self._col_exists(op.table, other)]))
        return steps

    def simple_rename_column(self, op, ctx):
        return [A.RenameColumn(op.table, op.column, op.new_name)]

    def plan_alter_column_type(self, op, ctx):
        table = ctx.schema.table(op.table)
        col = table.column(op.column)
        narrowing = type_change_narrows(col.type, op.new_type)
        if narrowing and not ctx.options.allow_data_loss:
            raise SpecError(f"{col.type} -> {op.new_type} narrows {op.table}.{col.name}: values "
                            "that do not fit would be lost or refused",
                            hint="set options.allow_data_loss=true after checking the data fits")
        if op.table in ctx.new_tables or not type_change_rewrites(col.type, op.new_type):
            return [StepDraft(
                title=f"change {op.table}.{col.name} to {op.new_type}"
                      + ("" if op.table in ctx.new_tables else " (no rewrite)"),
                phase="expand", actions=self.simple_alter_column_type(op, ctx),
                deploy_note="Binary-compatible change: a brief ACCESS EXCLUSIVE lock, no rewrite.",
                checks=[self._col_exists(op.table, col.name)],
                lint_expect=[("changing-column-type", f"{col.type} -> {op.new_type} is "
                              "binary-compatible: PostgreSQL changes the catalog only, with no "
                              "rewrite")],
                down_lint_expect=[("changing-column-type", f"going back to {col.type} re-checks "
                                   "every row under ACCESS EXCLUSIVE; on a large table prefer "
                                   "keeping the wider type")])]
        tmp = bounded_name(col.name, suffix="new", dialect=self.name)
        old_tmp = bounded_name(col.name, suffix="old", dialect=self.name)
        conv = op.using or f"{self.quote(col.name)}"
        to_new = f"CAST(({qualify(conv, col.name, self)}) AS {op.new_type})"
        to_old = f"CAST(NEW.{self.quote(tmp)} AS {col.type})"
        steps, sync, renames = self._copy_column_steps(op, ctx, tmp, op.new_type, to_new, to_old,
                                              "a type change")
        # Trigger bodies name columns, so the trigger is swapped along with the columns: after
        # the swap the old-typed copy is kept in step, which makes the swap's down lossless.
        back = self._sync(op.table, col.name, old_tmp,
                          f"CAST(NEW.{self.quote(col.name)} AS {col.type})",
                          f"CAST(NEW.{self.quote(old_tmp)} AS {op.new_type})")
        swap = StepDraft(
            title=f"swap: {col.name} becomes {old_tmp}, {tmp} becomes {col.name}",
            phase="switch",
            actions=[A.DropSyncTrigger(sync), A.RenameColumn(op.table, col.name, old_tmp),
                     A.RenameColumn(op.table, tmp, col.name)]
                    + ([A.DropDefault(op.table, old_tmp, previous=col.default),
                        A.SetDefault(op.table, col.name, col.default)] if col.default else [])
                    + [back],
            lint_expect=[("renaming-column", "the two columns swap names in one transaction: "
                          f"code keeps using {col.name} and now gets {op.new_type}"),
                         ("ban-drop-function", "the sync trigger function is replaced by one "
                          "running the other way")]
            + ([("ban-drop-default", f"the default moves to the new {col.name}")]
               if col.default else []),
            down_lint_expect=[("renaming-column", "the swap is undone in one transaction"),
                              ("ban-drop-function", "the sync trigger function is swapped back")]
            + ([("ban-drop-default", "the default moves back")] if col.default else []),
            deploy_note="Brief ACCESS EXCLUSIVE lock. Code keeps the column name; restart "
                        "services that hold prepared statements on the old type.",
            checks=[self._col_exists(op.table, tmp)])
        steps.append(swap)
        old_col = col.model_copy(update={"name": old_tmp})
        renamed = op.model_copy(update={"column": old_tmp})
        shadow = ctx.schema.model_copy(deep=True)
        t2 = shadow.table(op.table)
        t2.column(col.name).name = old_tmp
        for item in (*t2.indexes, *t2.constraints):
            item.columns = [old_tmp if c == col.name else c for c in item.columns]
        t2.columns.append(Column(name=col.name, type=op.new_type, nullable=col.nullable,
                                 default=col.default))
        ctx2 = PlanContext(shadow, ctx.options, ctx.op_index, ctx.new_tables)
        steps += self._contract_old_column(renamed, ctx2, old_col, back,
                                           f"CAST({self.quote(col.name)} AS {col.type})", renames,
                                           f"deploy code that works with {op.new_type} everywhere",
                                           moved_default=True)
        return steps

    def simple_alter_column_type(self, op, ctx):
        table = ctx.schema.table(op.table)
        col = table.column(op.column)
        # A foreign key on (or to) the column is dropped and re-created by the type change,
        # which takes ACCESS EXCLUSIVE on the other table too: take it first, and say so.
        # Found by migsmith verify (observed locks).
        others = {c.ref_table for c in table.constraints
                  if c.kind == "foreign_key" and col.name in c.columns and c.ref_table}
        others |= {c.table for c in ctx.schema.referencing(op.table, col.name)}
        others.discard(op.table)
        return [A.LockTable(t, "ACCESS EXCLUSIVE") for t in sorted(others)] + [
            A.AlterColumnType(op.table, col.name, col.type, op.new_type, using=op.using)]

    def plan_set_not_null(self, op, ctx):
        return self._not_null_steps(
            op.table, op.column, ctx,
            f"Before: deploy code that never writes NULL into {op.column}, and backfill "
            "existing NULLs (the validate step refuses while any remain).")

    def simple_set_not_null(self, op, ctx):
        return [A.SetNotNull(op.table, op.column)]

    def plan_drop_not_null(self, op, ctx):
        return [StepDraft(title=f"allow NULL in {op.table}.{op.column}", phase="expand",
                          actions=self.simple_drop_not_null(op, ctx),
                          deploy_note=f"Metadata only. Make readers cope with NULL in "
                                      f"{op.column} before code starts writing NULL.",
                          checks=[self._col_exists(op.table, op.column)],
                          lint_expect=[("ban-drop-not-null", "requested: readers are ready for "
                                        "NULL")])]

    def simple_drop_not_null(self, op, ctx):
        return [A.DropNotNull(op.table, op.column)]

    def plan_set_default(self, op, ctx):
        return [StepDraft(title=f"set default of {op.table}.{op.column}", phase="expand",
                          actions=self.simple_set_default(op, ctx),
                          deploy_note="Metadata only; applies to rows inserted from now on.",
                          checks=[self._col_exists(op.table, op.column)])]

    def simple_set_default(self, op, ctx):
        prev = ctx.schema.table(op.table).column(op.column).default
        return [A.SetDefault(op.table, op.column, op.default, prev)]

    def plan_drop_default(self, op, ctx):
        return [StepDraft(title=f"drop default of {op.table}.{op.column}", phase="expand",
                          actions=self.simple_drop_default(op, ctx),
                          deploy_note="Before: deploy code that sets the value explicitly.",
                          checks=[self._col_exists(op.table, op.column)],
                          lint_expect=[("ban-drop-default", "requested: code sets the value "
                                        "itself")])]

    def simple_drop_default(self, op, ctx):
        prev = ctx.schema.table(op.table).column(op.column).default
        return [A.DropDefault(op.table, op.column, prev)]

    def plan_add_index(self, op, ctx):
        return [self._index_step(index_for(op, op.table), ctx,
                                 "Additive: no code change; queries can use it once it is valid.")]

    def simple_add_index(self, op, ctx):
        return [A.CreateIndex(index_for(op, op.table), concurrently=False)]

    def plan_drop_index(self, op, ctx):
        table, idx = ctx.schema.find_index(op.name)
        new = table.name in ctx.new_tables
        return [StepDraft(title=f"drop index {op.name}" + ("" if new else " concurrently"),
                          phase="contract", actions=[A.DropIndex(idx, concurrently=not new)],
                          deploy_note="No code change; watch for queries that get slower.")]

    def simple_drop_index(self, op, ctx):
        table, idx = ctx.schema.find_index(op.name)
        return [A.DropIndex(idx, concurrently=False)]

    def _fk_constraint(self, op) -> Constraint:
        return Constraint(name=op.name, table=op.table, kind="foreign_key",
                          columns=list(op.columns), ref_table=op.ref_table,
                          ref_columns=list(op.ref_columns), on_delete=op.on_delete)

    def plan_add_foreign_key(self, op, ctx):
        con = self._fk_constraint(op)
        if op.table in ctx.new_tables:
            return [StepDraft(title=f"add foreign key {op.name}", phase="expand",
                              actions=[A.AddConstraint(con)], deploy_note="")]
        steps = self._fk_index_steps(op, ctx, "No code change. Without it, every delete or key "
                                              f"update on {op.ref_table} scans {op.table}.")
        steps.append(StepDraft(
            title=f"add foreign key {op.name} NOT VALID (new rows checked from now on)",
            phase="constrain",
            actions=[A.LockTable(op.ref_table, "SHARE ROW EXCLUSIVE"),
                     A.AddConstraint(con, not_valid=True)],
            deploy_note="Before: deploy code that never writes a row without its parent. The "
                        f"lock on {op.ref_table} is taken first, in the same order as the "
                        "constraint itself takes them, so it cannot deadlock with clients.",
            checks=[self._table_exists(op.table), self._table_exists(op.ref_table),
                    Check("constraint_missing", op.table, name=op.name,
                          message=f"constraint {op.name} does not exist yet")]))
        steps.append(StepDraft(
            title=f"validate foreign key {op.name} (scans, does not block writes)",
            phase="constrain", actions=[A.ValidateConstraint(op.table, op.name, op.ref_table)],
            deploy_note="No code change. Fails if orphan rows exist: fix them and re-run.",
            est_seconds=round(self.seconds("scan", ctx.rows(op.table)), 3)))
        return steps

    def _fk_index_steps(self, op, ctx, note: str) -> list[StepDraft]:
        """An index on the referencing columns first, unless one already covers them."""
        table = ctx.schema.table(op.table)
        if not ctx.options.index_foreign_keys or table.covering_index(list(op.columns)):
            return []
        idx = Index(name=bounded_name(op.table.split(".")[-1], *op.columns, suffix="idx",
                                      dialect=self.name), table=op.table, columns=list(op.columns))
        return [] if table.index_named(idx.name) else [self._index_step(idx, ctx, note)]

    def simple_add_foreign_key(self, op, ctx):
        return [A.AddConstraint(self._fk_constraint(op))]

    def plan_add_check_constraint(self, op, ctx):
        con = Constraint(name=op.name, table=op.table, kind="check", expression=op.expression)
        if op.table in ctx.new_tables:
            return [StepDraft(title=f"add check {op.name}", phase="expand",
                              actions=[A.AddConstraint(con)], deploy_note="")]
        return [
            StepDraft(title=f"add check {op.name} NOT VALID (new rows checked from now on)",
                      phase="constrain", actions=[A.AddConstraint(con, not_valid=True)],
                      deploy_note="Before: deploy code that only writes rows that pass the check.",
                      checks=[self._table_exists(op.table),
                              Check("constraint_missing", op.table, name=op.name,
                                    message=f"constraint {op.name} does not exist yet")]),
            StepDraft(title=f"validate check {op.name} (scans, does not block)",
                      phase="constrain", actions=[A.ValidateConstraint(op.table, op.name)],
                      deploy_note="No code change. Fails if old rows violate it: fix them first.",
                      est_seconds=round(self.seconds("scan", ctx.rows(op.table)), 3)),
        ]

    def simple_add_check_constraint(self, op, ctx):
        return [A.AddConstraint(Constraint(name=op.name, table=op.table, kind="check",
                                           expression=op.expression))]

    def plan_add_unique_constraint(self, op, ctx):
        con = Constraint(name=op.name, table=op.table, kind="unique", columns=list(op.columns),
                         index=op.name)
        if op.table in ctx.new_tables:
            return [StepDraft(title=f"add unique constraint {op.name}", phase="expand",
                              actions=[A.AddConstraint(con)], deploy_note="")]
        idx = Index(name=op.name, table=op.table, columns=list(op.columns), unique=True)
        return [
            self._index_step(idx, ctx, "Before: deploy code that never writes duplicates.",
                             phase="constrain",
                             title=f"build unique index {op.name} concurrently"),
            StepDraft(title=f"attach index {op.name} as unique constraint (no scan)",
                      phase="constrain", actions=[A.AddConstraint(con, using_index=op.name)],
                      deploy_note="No code change; a brief lock, the index is already built.",
                      checks=[Check("constraint_missing", op.table, name=op.name,
                                    message=f"constraint {op.name} does not exist yet")]),
        ]

    def simple_add_unique_constraint(self, op, ctx):
        return [A.AddConstraint(Constraint(name=op.name, table=op.table, kind="unique",
                                           columns=list(op.columns), index=op.name))]

    def plan_drop_constraint(self, op, ctx):
        con = ctx.schema.table(op.table).constraint_named(op.name)
        return [StepDraft(title=f"drop constraint {op.name} on {op.table}", phase="contract",
                          actions=[A.DropConstraint(con)],
                          deploy_note="No code change; the database stops enforcing the rule.",
                          checks=[Check("constraint_exists", op.table, name=op.name,
                                        message=f"constraint {op.name} exists")],
                          lint_expect=[("ban-drop-constraint", "requested")])]

    def simple_drop_constraint(self, op, ctx):
        return [A.DropConstraint(ctx.schema.table(op.table).constraint_named(op.name))]

    def plan_backfill(self, op, ctx):
        return [self._backfill_step(op.table, op.column, op.expression, op.where, ctx,
                                    "No code change; safe while traffic flows. Re-runnable: "
                                    "rows that already hold the value are skipped.")]

    def simple_backfill(self, op, ctx):
        return [A.RawComment("single UPDATE: holds every row lock until it commits"),
                A.Backfill(table=op.table, column=op.column, expression=op.expression,
                           where=op.where, key=(), key_is_integer=False, batch_size=0,
                           pause_ms=0)]


def qualify(expression: str, column: str, dialect: Dialect) -> str:
    """Rewrite references to ``column`` as NEW.column, for use inside a row trigger."""
    from pglast import parse_sql
    from pglast import ast
    from pglast.stream import RawStream

    from migsmith.tools.spec.expressions import _walk

    select = parse_sql(f"SELECT ({expression})")[0].stmt
    for node in _walk(select.targetList[0].val):
        if isinstance(node, ast.ColumnRef) and len(node.fields) == 1:
            field = node.fields[0]
            if isinstance(field, ast.String) and field.sval == column:
                node.fields = (ast.String(sval="new"), field)
    return RawStream()(select.targetList[0].val).replace("new.", "NEW.")


def column_refs(expression: str) -> list[str]:
    """Plain column names an expression refers to."""
    from pglast import ast, parse_sql

    from migsmith.tools.spec.expressions import _walk

    select = parse_sql(f"SELECT ({expression})")[0].stmt
    return [n.fields[-1].sval for n in _walk(select.targetList[0].val)
            if isinstance(n, ast.ColumnRef) and isinstance(n.fields[-1], ast.String)]


def rename_column_in(expression: str, old: str, new: str) -> str:
    """The expression with column ``old`` replaced by ``new`` (through the parse tree)."""
    from pglast import ast, parse_sql
    from pglast.stream import RawStream

    from migsmith.tools.spec.expressions import _walk

    select = parse_sql(f"SELECT ({expression})")[0].stmt
    for node in _walk(select.targetList[0].val):
        if isinstance(node, ast.ColumnRef) and isinstance(node.fields[-1], ast.String) \
                and node.fields[-1].sval == old:
            node.fields = (*node.fields[:-1], ast.String(sval=new))
    return RawStream()(select.targetList[0].val)


def isinstance_action(step, needle: str) -> bool:
    return needle in step.up_sql
