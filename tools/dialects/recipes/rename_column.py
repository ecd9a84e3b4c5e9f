"""Renaming a column online: expand to a synced copy under the new name, contract the old one."""

from __future__ import annotations

from migsmith.tools.dialects.base import StepDraft
from migsmith.tools.planning import actions as A


class RenameColumnRecipe:
    """Renaming a column online."""

    def plan_rename_column(self, op, ctx):
        if op.table in ctx.new_tables:
            return [StepDraft(title=f"rename {op.table}.{op.column} to {op.new_name}",
                              phase="expand", deploy_note="",
                              actions=[A.RenameColumn(op.table, op.column, op.new_name)])]
        table = ctx.schema.table(op.table)
        col = table.column(op.column)
        work = self._rename_dependents(op, ctx, op.new_name)
        steps, sync, renames = self._copy_column_steps(
            op, ctx, op.new_name, col.type, f"NEW.{self.quote(col.name)}",
            f"NEW.{self.quote(op.new_name)}", "a rename")
        steps += work.steps
        contract = self._contract_old_column(
            op, ctx, col, sync, self.quote(op.new_name), renames,
            f"deploy code that reads and writes only {op.new_name}", before_drop=work.before,
            after_drop=work.after)
        work.record(ctx, f"{op.table}.{op.column}", contract[-1])
        return steps + contract

    def simple_rename_column(self, op, ctx):
        if op.table in ctx.new_tables:
            return [A.RenameColumn(op.table, op.column, op.new_name)]
        return [A.RenameColumn(op.table, op.column, op.new_name)] + \
            self._plain_rename_dependents(op, ctx)
