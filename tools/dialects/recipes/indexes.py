"""Building indexes concurrently and dropping them concurrently."""

from __future__ import annotations

from migsmith.tools.dialects.base import StepDraft, index_for
from migsmith.tools.planning import actions as A


class IndexRecipes:
    """Building indexes concurrently and dropping them concurrently."""

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
