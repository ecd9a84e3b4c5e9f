"""Backfills: keyset batches that commit one by one (or the single UPDATE of a maintenance window)."""

from __future__ import annotations

from migsmith.tools.planning import actions as A


class BackfillRecipe:
    """Backfills."""

    def plan_backfill(self, op, ctx):
        step = self._backfill_step(op.table, op.column, op.expression, op.where, ctx,
                                   "No code change; safe while traffic flows. Re-runnable: "
                                   "rows that already hold the value are skipped.")
        step.irreversible = self.backfill_loss(op, ctx)
        return [step]

    def simple_backfill(self, op, ctx):
        lost = self.backfill_loss(op, ctx)
        return [A.RawComment("single UPDATE: holds every row lock until it commits"),
                A.Backfill.one_update(op.table, op.column, op.expression, op.where, lost)]
