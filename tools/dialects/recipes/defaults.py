"""Setting and dropping a column default (metadata only)."""

from __future__ import annotations

from migsmith.tools.dialects.base import StepDraft
from migsmith.tools.planning import actions as A


class DefaultRecipes:
    """Setting and dropping a column default (metadata only)."""

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
