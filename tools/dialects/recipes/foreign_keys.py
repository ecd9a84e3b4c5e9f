"""Foreign keys: an index on the referencing columns, NOT VALID, then VALIDATE."""

from __future__ import annotations

from migsmith.tools.dialects.base import Check, StepDraft
from migsmith.tools.planning import actions as A
from migsmith.tools.schema.model import Constraint, Index
from migsmith.tools.spec.identifiers import bounded_name


class ForeignKeyRecipe:
    """Foreign keys."""

    def _fk_constraint(self, op) -> Constraint:
        return Constraint(name=op.name, table=op.table, kind="foreign_key",
                          columns=list(op.columns), ref_table=op.ref_table,
                          ref_columns=list(op.ref_columns), on_delete=op.on_delete)

    def plan_add_foreign_key(self, op, ctx):
        con = self._fk_constraint(op)
        if op.table in ctx.new_tables:
            return [StepDraft(title=f"add foreign key {op.name}", phase="expand",
                              actions=[A.AddConstraint(con)], deploy_note="")]
        steps = self._fk_index_steps(op, ctx, "No code change. Without it, every delete or key "
                                              f"update on {op.ref_table} scans {op.table}.")
        if ctx.schema.table(op.table).partitioning:
            return steps + self._partitioned_fk_steps(op, ctx, con)
        steps.append(StepDraft(
            title=f"add foreign key {op.name} NOT VALID (new rows checked from now on)",
            phase="constrain",
            actions=[A.LockTable(op.ref_table, "SHARE ROW EXCLUSIVE"),
                     A.AddConstraint(con, not_valid=True)],
            deploy_note="Before: deploy code that never writes a row without its parent. The "
                        f"lock on {op.ref_table} is taken first, in the same order as the "
                        "constraint itself takes them, so it cannot deadlock with clients.",
            checks=[self._table_exists(op.table), self._table_exists(op.ref_table),
                    Check("constraint_missing", op.table, name=op.name,
                          message=f"constraint {op.name} does not exist yet")]))
        steps.append(StepDraft(
            title=f"validate foreign key {op.name} (scans, does not block writes)",
            phase="constrain", actions=[A.ValidateConstraint(op.table, op.name, op.ref_table)],
            deploy_note="No code change. Fails if orphan rows exist: fix them and re-run.",
            est_seconds=round(self.seconds("scan", ctx.rows(op.table)), 3)))
        return steps

    def _fk_index_steps(self, op, ctx, note: str) -> list[StepDraft]:
        """An index on the referencing columns first, unless one already covers them."""
        table = ctx.schema.table(op.table)
        if not ctx.options.index_foreign_keys or table.covering_index(list(op.columns)):
            return []
        idx = Index(name=bounded_name(op.table.split(".")[-1], *op.columns, suffix="idx",
                                      dialect=self.name), table=op.table, columns=list(op.columns))
        return [] if table.index_named(idx.name) else self._index_steps(idx, ctx, note)

    def simple_add_foreign_key(self, op, ctx):
        con = self._fk_constraint(op)
        kept = self._partition_keys_kept(ctx, op, con) if op.table not in ctx.new_tables else ()
        for own in kept:
            ctx.depend("partition", own.table, op.table, f"already has this key as {own.name}: "
                       f"adding {con.name} attaches it, and the down re-creates it (dropping "
                       f"{con.name} drops every attached key)")
        return [A.AddConstraint(con, restores=kept)]
