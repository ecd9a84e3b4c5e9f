"""Adding a column: one metadata step, or bare column + default + batched backfill + NOT NULL
when the default would rewrite the table.
"""

from __future__ import annotations

from migsmith.tools.dialects.base import StepDraft
from migsmith.tools.planning import actions as A
from migsmith.tools.spec.expressions import is_volatile


class AddColumnRecipe:
    """Adding a column."""

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
