"""What the plain statements of the maintenance-window alternative do with the dependents of a
renamed or retyped column (the online plan's are in ``dependents.py``).

A plain ``RENAME COLUMN`` on PostgreSQL carries views, materialized views, indexes,
constraints, policies, rules, generated columns and UPDATE OF lists along: they refer to the
column by its number. Only function bodies name it, so a trigger function that reads
``NEW.<column>`` is rewritten in the same transaction. A plain ``ALTER COLUMN ... TYPE`` is
refused by PostgreSQL while a view, a policy, a rule, a trigger's WHEN or a generated column
reads the column: views (and the views over them), policies and such triggers are dropped
before it and re-created after it, in its transaction; rules and generated columns are
refused with the steps to take by hand.
"""

from __future__ import annotations

from migsmith.tools.errors import SpecError
from migsmith.tools.planning import actions as A
from migsmith.tools.planning.dependents import column_uses, trigger_function


class PlainDependents:
    """Dependents of the plain statements."""

    def _plain_rename_dependents(self, op, ctx) -> list[A.Action]:
        on = f"{op.table}.{op.column}"
        out: list[A.Action] = []
        uses = column_uses(ctx.schema, op.table, op.column)
        self._refuse_shared_functions(op, ctx, uses)
        for use in uses:
            fn = trigger_function(ctx.schema, use.obj) if use.kind == "trigger" else None
            if fn is not None and any(p.startswith("function") for p in use.parts):
                step = A.ReplaceObject("function", fn.signature, fn.signature,
                                       self.rename_in_function(fn.definition, op.column,
                                                               op.new_name),
                                       self.or_replace(fn.definition))
                if step not in out:
                    out.append(step)
                ctx.depend("trigger", use.name, on, f"its function {fn.name} is rewritten to "
                           f"read NEW.{op.new_name} in the same transaction")
            else:
                ctx.depend(use.kind, use.name, on, "follows the rename: PostgreSQL refers to "
                           "the column by its number")
        return out

    def _refuse_shared_functions(self, op, ctx, uses) -> None:
        """The refusals of the online plan that hold for the plain rename too."""
        shared = [u for u in uses if u.kind == "trigger"
                  and any(p.startswith("function") for p in u.parts)]
        if shared:
            self._refuse_dependents(op, ctx, shared, "a rename")

    def _plain_retype_dependents(self, op, ctx) -> tuple[list[A.Action], list[A.Action]]:
        on = f"{op.table}.{op.column}"
        before: list[A.Action] = []
        after: list[A.Action] = []
        uses = column_uses(ctx.schema, op.table, op.column)
        for use in uses:
            if use.kind in ("generated_column", "rule"):
                raise SpecError(f"{use.kind.replace('_', ' ')} {use.name} reads {on}: "
                                "PostgreSQL cannot change the column's type under it",
                                hint=f"drop {use.name}, change the type, then re-create "
                                     f"{use.name} on the new type")
        views = [u for u in uses if u.kind in ("view", "materialized_view")]
        for use in reversed(views):
            before.append(A.DropObject(use.kind, use.name, use.name,
                                       self.view_definition(ctx, use.obj)))
        for use in views:
            after.append(A.DefineObject(use.kind, use.name, use.name,
                                        self.view_definition(ctx, use.obj)))
            ctx.depend(use.kind, use.name, on, "dropped before the type change and re-created "
                       "after it, in the same transaction")
        for use in uses:
            if use.kind == "policy" or (use.kind == "trigger" and "WHEN" in use.parts):
                text = (self.policy_sql(use.obj.text) if use.kind == "policy"
                        else use.obj.definition)
                before.append(A.DropObject(use.kind, op.table, use.name, text))
                after.append(A.DefineObject(use.kind, op.table, use.name, text))
                ctx.depend(use.kind, use.name, on, "dropped before the type change and "
                           "re-created after it, in the same transaction")
            elif use.kind in ("index", "check", "foreign_key", "trigger",
                              "referencing_foreign_key"):
                ctx.depend(use.kind, use.name, on, "kept: the type change rebuilds or "
                           "re-checks it")
        return before, after
