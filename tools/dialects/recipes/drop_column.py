"""Dropping a column: let code stop writing it, drop its indexes concurrently, then drop it."""

from __future__ import annotations

from migsmith.tools.dialects.base import StepDraft
from migsmith.tools.planning import actions as A
from migsmith.tools.planning.dependents import index_parts, refuse_breaking_drop


class DropColumnRecipe:
    """Dropping a column."""

    def plan_drop_column(self, op, ctx):
        table = ctx.schema.table(op.table)
        col = table.column(op.column)
        if op.table in ctx.new_tables:
            return [StepDraft(title=f"drop column {op.table}.{col.name}", phase="contract",
                              actions=[A.DropColumn(op.table, col, added_here=True)], deploy_note="")]
        self._drop_dependents(op, ctx)
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
        for idx in table.indexes:
            if idx.primary or any(c.index == idx.name for c in table.constraints) or \
                    not index_parts(idx, col.name, self.name):
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
        if op.table not in ctx.new_tables:
            self._drop_dependents(op, ctx)
        return [A.DropColumn(op.table, ctx.schema.table(op.table).column(op.column))]

    def _drop_dependents(self, op, ctx) -> None:
        refuse_breaking_drop(op, ctx)
