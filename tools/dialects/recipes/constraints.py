"""CHECK (NOT VALID, then VALIDATE), UNIQUE (index built concurrently, then attached) and
dropping a constraint.
"""

from __future__ import annotations

from migsmith.tools.dialects.base import Check, StepDraft
from migsmith.tools.planning import actions as A
from migsmith.tools.schema.model import Constraint, Index


class ConstraintRecipes:
    """CHECK (NOT VALID, then VALIDATE), UNIQUE (index built concurrently, then attached) and."""

    def plan_add_check_constraint(self, op, ctx):
        con = Constraint(name=op.name, table=op.table, kind="check", expression=op.expression)
        if op.table in ctx.new_tables:
            return [StepDraft(title=f"add check {op.name}", phase="expand",
                              actions=[A.AddConstraint(con)], deploy_note="")]
        return [
            StepDraft(title=f"add check {op.name} NOT VALID (new rows checked from now on)",
                      phase="constrain", actions=[A.AddConstraint(con, not_valid=True)],
                      deploy_note="Before: deploy code that only writes rows that pass the check.",
                      checks=[self._table_exists(op.table),
                              Check("constraint_missing", op.table, name=op.name,
                                    message=f"constraint {op.name} does not exist yet")]),
            StepDraft(title=f"validate check {op.name} (scans, does not block)",
                      phase="constrain", actions=[A.ValidateConstraint(op.table, op.name)],
                      deploy_note="No code change. Fails if old rows violate it: fix them first.",
                      est_seconds=round(self.seconds("scan", ctx.rows(op.table)), 3)),
        ]

    def simple_add_check_constraint(self, op, ctx):
        return [A.AddConstraint(Constraint(name=op.name, table=op.table, kind="check",
                                           expression=op.expression))]

    def plan_add_unique_constraint(self, op, ctx):
        con = Constraint(name=op.name, table=op.table, kind="unique", columns=list(op.columns),
                         index=op.name)
        if op.table in ctx.new_tables:
            return [StepDraft(title=f"add unique constraint {op.name}", phase="expand",
                              actions=[A.AddConstraint(con)], deploy_note="")]
        idx = Index(name=op.name, table=op.table, columns=list(op.columns), unique=True)
        return [
            self._index_step(idx, ctx, "Before: deploy code that never writes duplicates.",
                             phase="constrain",
                             title=f"build unique index {op.name} concurrently"),
            StepDraft(title=f"attach index {op.name} as unique constraint (no scan)",
                      phase="constrain", actions=[A.AddConstraint(con, using_index=op.name)],
                      deploy_note="No code change; a brief lock, the index is already built.",
                      checks=[Check("constraint_missing", op.table, name=op.name,
                                    message=f"constraint {op.name} does not exist yet")]),
        ]

    def simple_add_unique_constraint(self, op, ctx):
        return [A.AddConstraint(Constraint(name=op.name, table=op.table, kind="unique",
                                           columns=list(op.columns), index=op.name))]

    def plan_drop_constraint(self, op, ctx):
        con = ctx.schema.table(op.table).constraint_named(op.name)
        return [StepDraft(title=f"drop constraint {op.name} on {op.table}", phase="contract",
                          actions=[A.DropConstraint(con)],
                          deploy_note="No code change; the database stops enforcing the rule.",
                          checks=[Check("constraint_exists", op.table, name=op.name,
                                        message=f"constraint {op.name} exists")],
                          lint_expect=[("ban-drop-constraint", "requested")])]

    def simple_drop_constraint(self, op, ctx):
        return [A.DropConstraint(ctx.schema.table(op.table).constraint_named(op.name))]
