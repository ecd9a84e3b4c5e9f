"""SET NOT NULL (through a validated CHECK) and DROP NOT NULL."""

from __future__ import annotations

from migsmith.tools.dialects.base import StepDraft
from migsmith.tools.planning import actions as A


class NullabilityRecipes:
    """SET NOT NULL (through a validated CHECK) and DROP NOT NULL."""

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
