"""Creating, dropping (retire, then drop) and renaming (with a compatibility view) tables."""

from __future__ import annotations

from migsmith.tools.dialects.base import Check, StepDraft
from migsmith.tools.planning import actions as A
from migsmith.tools.spec.identifiers import bounded_name


class TableRecipes:
    """Creating, dropping (retire, then drop) and renaming (with a compatibility view) tables."""

    def plan_create_table(self, op, ctx):
        table = self.table_model(op)
        ctx.new_tables.add(op.table)
        return [StepDraft(title=f"create table {op.table}", phase="expand",
                          actions=[A.CreateTable(table)],
                          deploy_note="Additive: deploy code that uses the table after this step.",
                          checks=[Check("table_missing", op.table,
                                        message=f"table {op.table} does not exist yet")])]

    def simple_create_table(self, op, ctx):
        return [A.CreateTable(self.table_model(op))]

    def plan_drop_table(self, op, ctx):
        table = ctx.schema.table(op.table)
        if op.table in ctx.new_tables:
            return [StepDraft(title=f"drop table {op.table}", phase="contract",
                              actions=[A.DropTable(table, created_here=True)], deploy_note="")]
        retired = bounded_name(op.table.split(".")[-1], suffix="retired", dialect=self.name)
        if "." in op.table:
            retired = op.table.split(".")[0] + "." + retired
        retired_table = table.model_copy(deep=True)
        retired_table.name = retired
        return [
            StepDraft(title=f"retire table {op.table} (rename to {retired})", phase="contract",
                      actions=[A.RenameTable(op.table, retired)],
                      deploy_note=f"Before: deploy code that no longer reads or writes "
                                  f"{op.table}. The rename keeps the data for a quick rollback "
                                  "(its down renames it back) while you watch for errors.",
                      checks=[self._table_exists(op.table)],
                      lint_expect=[("renaming-table", "the table is being retired: code stopped "
                                    "using it before this step")],
                      down_lint_expect=[("renaming-table", "the retired table gets its name back")]),
            StepDraft(title=f"drop table {retired} for good", phase="contract",
                      actions=[A.DropTable(retired_table)],
                      deploy_note="After a quiet period with no errors. Take a backup first: "
                                  "the rows cannot come back through a migration.",
                      checks=[self._table_exists(retired)],
                      lint_expect=[("ban-drop-table", "requested with allow_data_loss, after the "
                                    "retire step gave a rollback window")]),
        ]

    def simple_drop_table(self, op, ctx):
        return [A.DropTable(ctx.schema.table(op.table))]

    def plan_rename_table(self, op, ctx):
        if op.table in ctx.new_tables:
            return [StepDraft(title=f"rename table {op.table} to {op.new_name}", phase="expand",
                              actions=[A.RenameTable(op.table, op.new_name)], deploy_note="")]
        columns = tuple(c.name for c in ctx.schema.table(op.table).columns)
        return [
            StepDraft(
                title=f"rename {op.table} to {op.new_name}, keep {op.table} as a view",
                phase="expand",
                actions=[A.RenameTable(op.table, op.new_name),
                         A.CreateView(op.table, op.new_name, columns)],
                deploy_note=f"No code change needed first: the simple view {op.table} is "
                            f"updatable, so code using the old name keeps reading and writing. "
                            f"Then deploy code that uses {op.new_name}.",
                checks=[self._table_exists(op.table),
                        Check("table_missing", op.new_name,
                              message=f"no table {op.new_name} exists yet")],
                lint_expect=[("renaming-table", f"a view named {op.table} keeps old code working "
                              "until the contract step")],
                down_lint_expect=[("ban-drop-view", "it is the compatibility view this step "
                                   "added"),
                                  ("renaming-table", "the rename is undone")]),
            StepDraft(
                title=f"drop the compatibility view {op.table}", phase="contract",
                actions=[A.DropView(op.table, op.new_name, columns)],
                deploy_note=f"Before: every deployed service uses {op.new_name} (check "
                            f"pg_stat_statements for queries on {op.table}).",
                checks=[self._table_exists(op.new_name)],
                lint_expect=[("ban-drop-view", "it is the compatibility view this plan added")]),
        ]

    def simple_rename_table(self, op, ctx):
        return [A.RenameTable(op.table, op.new_name)]
