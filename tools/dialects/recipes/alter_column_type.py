"""Changing a column's type: in place when binary-compatible; otherwise a synced copy of the
new type, a swap in one transaction, and the old column contracted.
"""

from __future__ import annotations

from migsmith.tools.dialects.base import PlanContext, StepDraft
from migsmith.tools.dialects.postgres.types import type_change_rewrites
from migsmith.tools.dialects.recipes.sql_rewrite import qualify
from migsmith.tools.errors import SpecError
from migsmith.tools.planning import actions as A
from migsmith.tools.schema.evolve import apply
from migsmith.tools.schema.model import Column
from migsmith.tools.spec.changespec import RenameColumn
from migsmith.tools.spec.identifiers import bounded_name


class AlterColumnTypeRecipe:
    """Changing a column's type."""

    def plan_alter_column_type(self, op, ctx):
        table = ctx.schema.table(op.table)
        col = table.column(op.column)
        loss = self.type_change_loss(col.type, op.new_type)
        if loss and not ctx.options.allow_data_loss:
            raise SpecError(f"changing {op.table}.{col.name} from {col.type} to {op.new_type} "
                            f"{loss}: data would be lost; refused",
                            hint="set options.allow_data_loss=true (CLI: --allow-data-loss) "
                                 "after checking the data fits or is no longer needed")
        lost = (f"{op.table}.{col.name} went from {col.type} to {op.new_type}, which {loss}: the "
                "down brings the old type back, not what the change dropped") if loss else None
        if op.table in ctx.new_tables or not type_change_rewrites(col.type, op.new_type):
            return [StepDraft(
                irreversible=lost,
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
        work = self._retype_dependents(op, ctx)
        tmp = bounded_name(col.name, suffix="new", dialect=self.name)
        old_tmp = self._old_name(col.name)
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
            actions=[A.DropSyncTrigger(sync)] + work.before
                    + [A.RenameColumn(op.table, col.name, old_tmp),
                       A.RenameColumn(op.table, tmp, col.name)] + work.after
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
        steps += work.steps
        old_col = col.model_copy(update={"name": old_tmp})
        renamed = op.model_copy(update={"column": old_tmp})
        # The state after the swap: the old column under its temporary name, with what reads it
        # (a check's expression too: the contract's down re-adds the check on that column)
        shadow = ctx.schema.model_copy(deep=True)
        apply(shadow, RenameColumn(table=op.table, column=col.name, new_name=old_tmp),
              ctx.options)
        t2 = shadow.table(op.table)
        for con in t2.constraints:
            if con.kind == "check":
                con.expression = self.rename_in_expression(con.expression, col.name, old_tmp)
        t2.columns.append(Column(name=col.name, type=op.new_type, nullable=col.nullable,
                                 default=col.default))
        ctx2 = PlanContext(shadow, ctx.options, ctx.op_index, ctx.new_tables, found=ctx.found)
        contract = self._contract_old_column(
            renamed, ctx2, old_col, back, f"CAST({self.quote(col.name)} AS {col.type})", renames,
            f"deploy code that works with {op.new_type} everywhere", moved_default=True,
            before_drop=work.contract)
        work.record(ctx, f"{op.table}.{op.column}", contract[-1], swap)
        if lost:  # after the contract only the converted values are left to go back from
            contract[-1].irreversible = lost
        return steps + contract

    def _old_name(self, column: str) -> str:
        """The name the old column has between the swap and the contract."""
        return bounded_name(column, suffix="old", dialect=self.name)

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
        before, after = ([], []) if op.table in ctx.new_tables else \
            self._plain_retype_dependents(op, ctx)
        return [A.LockTable(t, "ACCESS EXCLUSIVE") for t in sorted(others)] + before + [
            A.AlterColumnType(op.table, col.name, col.type, op.new_type, using=op.using,
                              loss=self.type_change_loss(col.type, op.new_type))] + after
