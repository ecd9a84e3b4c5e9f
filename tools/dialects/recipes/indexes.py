"""Building indexes concurrently and dropping them concurrently."""

from __future__ import annotations

from migsmith.tools.dialects.base import StepDraft, index_for
from migsmith.tools.planning import actions as A
from migsmith.tools.planning.dependents import table_partitions


class IndexRecipes:
    """Building indexes concurrently and dropping them concurrently."""

    def plan_add_index(self, op, ctx):
        return self._index_steps(index_for(op, op.table), ctx,
                                 "Additive: no code change; queries can use it once it is valid.")

    def simple_add_index(self, op, ctx):
        return [A.CreateIndex(index_for(op, op.table), concurrently=False)]

    def plan_drop_index(self, op, ctx):
        table, idx = ctx.schema.find_index(op.name)
        # PostgreSQL cannot drop a partitioned table's index concurrently; dropping it is brief
        # (it drops the partitions' attached indexes with it)
        plain = table.name in ctx.new_tables or table.partitioning is not None
        if table.partitioning is not None:
            for part in table_partitions(ctx.schema, table.name):
                ctx.depend("partition", part.name, table.name,
                           f"its index attached to {op.name} is dropped with it")
        return [StepDraft(title=f"drop index {op.name}" + ("" if plain else " concurrently"),
                          phase="contract", actions=[A.DropIndex(idx, concurrently=not plain)],
                          deploy_note="No code change; watch for queries that get slower.")]

    def simple_drop_index(self, op, ctx):
        table, idx = ctx.schema.find_index(op.name)
        return [A.DropIndex(idx, concurrently=False)]
