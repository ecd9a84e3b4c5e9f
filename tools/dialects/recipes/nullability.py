"""SET NOT NULL (through a validated CHECK) and DROP NOT NULL."""

from __future__ import annotations

from migsmith.tools.dialects.base import StepDraft
from migsmith.tools.planning import actions as A


class NullabilityRecipes:
    """SET NOT NULL (through a validated CHECK) and DROP NOT NULL."""

    def plan_set_not_null(self, op, ctx):
        populated = op.table not in ctx.new_tables and ctx.rows(op.table) != 0
        default = ctx.null_fill(op.table, op.column)
        if populated and default is not None:
            # "not null default X": the rows that are NULL today take X, in committed
            # batches, before the constraint is validated (which refuses while any remain).
            fill = self._backfill_step(
                op.table, op.column, default, None, ctx,
                f"Before: deploy code that never writes NULL into {op.column} (inserts that "
                f"leave it out get the default). This step sets the rows that are NULL now to "
                f"{default}; safe while traffic flows, re-runnable.",
                guard_null=True, title=f"set NULL {op.table}.{op.column} to its default")
            fill.irreversible = self.null_fill_loss(op, default)
            return [fill] + self._not_null_steps(op.table, op.column, ctx, "No code change.")
        return self._not_null_steps(
            op.table, op.column, ctx,
            f"Before: deploy code that never writes NULL into {op.column}, and backfill "
            "existing NULLs (the validate step refuses while any remain).")

    @staticmethod
    def null_fill_loss(op, default: str) -> str:
        return (f"the rows of {op.table} whose {op.column} was NULL keep {default}: which "
                "ones were NULL is not recorded")

    def simple_set_not_null(self, op, ctx):
        default = ctx.null_fill(op.table, op.column)
        if default is not None:
            return [A.Backfill.one_update(op.table, op.column, default,
                                          f"{self.quote(op.column)} IS NULL"),
                    A.SetNotNull(op.table, op.column)]
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
