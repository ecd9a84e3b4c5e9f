"""What a type change does with what reads the column (see ``dependents.py``).

The swap renames the old column away and the new-typed copy into its name, in one
transaction. Views, triggers and policies follow a column by its number, not its name, so
they are dropped just before the renames and re-created from their definitions just after:
from the swap on they read the new type under the old name, and the old copy can be dropped at
the contract. Materialized views are not re-computed inside that transaction: they are built
anew after the swap under a temporary name and swapped in at the contract.
"""

from __future__ import annotations

from migsmith.tools.dialects.recipes.dependents import DependentWork
from migsmith.tools.planning import actions as A
from migsmith.tools.planning.dependents import column_uses


class RetypeDependents:
    """Dependents of a column whose type changes."""

    def _retype_dependents(self, op, ctx) -> DependentWork:
        uses = column_uses(ctx.schema, op.table, op.column)
        self._refuse_dependents(op, ctx, uses, "a type change")
        work = DependentWork()
        views = [u for u in uses if u.kind in ("view", "materialized_view")]
        built = {u.name for u in views if u.kind == "materialized_view" and "query" in u.parts}
        later = set(built)  # what the contract swaps, and every view reading it
        for use in views:
            if {ctx.schema._key(u.table) for u in use.obj.depends_on} & later:
                later.add(use.name)
        in_swap = [u for u in views if u.name not in later]
        for use in reversed(in_swap):
            work.before.append(A.DropObject(use.kind, use.name, use.name,
                                            self.view_definition(ctx, use.obj)))
        for use in in_swap:
            work.after.append(A.DefineObject(use.kind, use.name, use.name,
                                             self.view_definition(ctx, use.obj)))
            work.notes.append((use.kind, use.name, "dropped and re-created in the swap's "
                               f"transaction: reads {op.column} as {op.new_type} from then on"
                               + (" (re-computed under the swap's lock)"
                                  if use.kind == "materialized_view" else ""), "switch"))
        over = [u for u in views if u.name in later and u.name not in built]
        for use in views:
            if use.name in built:
                # its down re-creates it on the old column, under the name it has by then
                restore = self.rename_view_query(ctx.schema, use.obj, op.table, op.column,
                                                 self._old_name(op.column))
                build, swap = self._matview_swap(ctx, use.obj, use.obj.definition, restore)
                work.steps.append(build)
                work.contract += swap
                work.notes.append(("materialized_view", use.name, f"built anew after the swap "
                                   f"(reading {op.new_type}) as {build.actions[0].name}, with "
                                   "its indexes and grants; swapped in at the contract step",
                                   build))
        for use in reversed(over):
            work.contract.insert(0, A.DropObject(use.kind, use.name, use.name,
                                                 self.view_definition(ctx, use.obj)))
        for use in over:
            work.contract.append(A.DefineObject(use.kind, use.name, use.name,
                                                self.view_definition(ctx, use.obj)))
            work.notes.append((use.kind, use.name, "reads a materialized view that is swapped: "
                               "dropped and re-created around the swap", "contract"))
        for use in uses:
            if use.kind == "trigger":
                tg = use.obj
                if "UPDATE OF" in use.parts or "WHEN" in use.parts:
                    work.before.append(A.DropObject("trigger", op.table, tg.name, tg.definition))
                    work.after.append(A.DefineObject("trigger", op.table, tg.name,
                                                     tg.definition))
                said = ("re-created in the swap's transaction, so it follows the new column"
                        if "UPDATE OF" in use.parts or "WHEN" in use.parts else "")
                if any(p.startswith("function") for p in use.parts):
                    said += ("; " if said else "") + (f"its function reads NEW.{op.column} by "
                                                      f"name: {op.new_type} from the swap on")
                work.notes.append(("trigger", tg.name, said, "switch"))
            elif use.kind == "policy":
                text = self.policy_sql(use.obj.text)
                work.before.append(A.DropObject("policy", op.table, use.name, text))
                work.after.append(A.DefineObject("policy", op.table, use.name, text))
                work.notes.append(("policy", use.name, "dropped and re-created in the swap's "
                                   f"transaction: checks {op.column} as {op.new_type} from then "
                                   "on", "switch"))
        return work
