"""PLAN.md's section on what depends on the change: every dependent found (views, triggers,
indexes, constraints, partitions, policies ...) and what the plan does with each."""

from __future__ import annotations

from migsmith.tools.planning.plan import Plan

_KIND = {"materialized_view": "materialized view", "generated_column": "generated column",
         "foreign_key": "foreign key", "referencing_foreign_key": "foreign key to it",
         "check": "check constraint"}
_CHANGES = ("rename_column", "alter_column_type", "drop_column", "add_index",
            "add_foreign_key", "drop_index")


def dependents_markdown(plan: Plan) -> str:
    """The section's markdown (empty when the plan changes nothing others could depend on)."""
    if not plan.dependents and not (plan.alternative and plan.alternative.dependents):
        if not any(op.op in ("rename_column", "alter_column_type")
                   for op in plan.spec.operations):
            return ""
        return ("## What depends on the change\n\nNothing else in the schema reads the changed "
                "columns: no view, materialized view, trigger, generated column, index, "
                "constraint, foreign key, partition or policy.\n")
    lines = ["## What depends on the change", "",
             "Everything in the schema that reads what changes, and what the plan does with it.",
             "", "| Reads | Kind | Name | What the plan does | Steps |", "|---|---|---|---|---|"]
    lines += [_row(d) for d in plan.dependents]
    if plan.alternative and plan.alternative.dependents:
        lines += ["", "In the maintenance-window alternative:", ""]
        lines += [f"- {_KIND.get(d.kind, d.kind)} {d.name} ({d.on}): {d.handling}"
                  for d in plan.alternative.dependents]
    return "\n".join(lines) + "\n"


def _row(dep) -> str:
    steps = ", ".join(str(n) for n in dep.steps) or "-"
    cell = lambda text: text.replace("|", "\\|")  # noqa: E731
    return (f"| {cell(dep.on)} | {_KIND.get(dep.kind, dep.kind)} | {cell(dep.name)} | "
            f"{cell(dep.handling)} | {steps} |")
