"""Step builders the recipes share: preconditions, an index build, the NOT NULL dance, a
batched backfill.
"""

from __future__ import annotations

from migsmith.tools.dialects.base import Check, PlanContext, StepDraft
from migsmith.tools.planning import actions as A
from migsmith.tools.schema.model import Constraint, Index
from migsmith.tools.spec.identifiers import bounded_name


class StepBuilders:
    """Step builders the recipes share."""

    def _table_exists(self, table: str) -> Check:
        return Check("table_exists", table, message=f"table {table} exists")

    def _col_exists(self, table: str, column: str) -> Check:
        return Check("column_exists", table, column, message=f"column {table}.{column} exists")

    def _col_missing(self, table: str, column: str) -> Check:
        return Check("column_missing", table, column,
                     message=f"column {table}.{column} does not exist yet")

    def _index_steps(self, index: Index, ctx: PlanContext, note: str, phase: str = "expand",
                     title: str | None = None) -> list[StepDraft]:
        """The steps that build ``index``: one concurrent build, or on a partitioned table one
        per partition and the parent index they are attached to (``partitions.py``)."""
        table = ctx.schema.tables.get(ctx.schema._key(index.table))
        if table is not None and table.partitioning and index.table not in ctx.new_tables:
            return self._partitioned_index_steps(index, ctx, note, phase, title)
        return [self._index_step(index, ctx, note, phase, title)]

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
        # Statistics are per column, and a plain column's already exist: only an index on an
        # expression brings statistics the planner lacks. (ANALYZE reads a 30,000-row sample:
        # on a busy server that costs the clients a stall for nothing.)
        table = ctx.schema.table(index.table) if ctx.schema.has_table(index.table) else None
        if not new_table and table is not None and (
                any(k.expression for k in index.keys)
                or any(not table.has_column(c) for c in index.columns)):
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
            # The validation is the check that no row is NULL: a separate precondition would
            # read the whole table a second time (found in the load benchmark's per-statement
            # stalls), so the validation's own failure carries the message instead.
            phase="constrain", actions=[A.ValidateConstraint(
                table, chk.name, violation=f"some rows of {table} have {column} NULL: backfill "
                                           "them before validating")],
            deploy_note="No code change. The scan runs under SHARE UPDATE EXCLUSIVE: reads and "
                        "writes continue.",
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
                       phase: str = "backfill", own_triggers: tuple[str, ...] = (),
                       title: str | None = None) -> StepDraft:
        table = ctx.schema.table(table_name)
        rows = ctx.rows(table_name)
        bf = self.backfill_plan(table, column, expression, where, ctx.options, rows,
                                schema=ctx.schema, own_triggers=own_triggers)
        if guard_null:
            bf.where = f"{self.quote(column)} IS NULL" + (f" AND ({where})" if where else "")
        size = (f"in batches of {bf.batch_size}" if not bf.batch_ms else
                f"in batches of about {bf.batch_ms} ms (up to {bf.max_batch_size} rows)")
        return StepDraft(
            title=f"{title or f'backfill {table_name}.{column}'} {size}", phase=phase,
            actions=[self.backfill_action(bf)], deploy_note=note, backfill=bf,
            checks=[self._col_exists(table_name, column)],
            est_seconds=round(self.backfill_seconds(bf, rows), 3))

    def backfill_seconds(self, bf, rows: int | None) -> float:
        """Expected time: the measured backfill rate, plus the pauses a least pause or a rate
        cap adds (adaptive batches of ``batch_ms`` each at that rate)."""
        est = self.seconds("backfill", rows)
        if not rows:
            return est
        rate = rows / max(est - self.seconds("ddl", 0), 1e-6)
        per_batch = bf.batch_size if not bf.batch_ms else max(
            bf.min_batch_size, min(bf.max_batch_size, rate * bf.batch_ms / 1000))
        est += -(-rows // max(int(per_batch), 1)) * bf.pause_ms / 1000
        if bf.max_rows_per_s:
            est = max(est, rows / bf.max_rows_per_s)
        return est
