"""What a rename or a type change does with what reads the column (PostgreSQL's rules; MySQL
and SQLite override what differs).

While old and new code run side by side (expand until contract) every dependent keeps giving
old code what it expects, and from the contract step on what new code expects:

- a rename: views are re-pointed at the new column before the deploy (CREATE OR REPLACE VIEW,
  same output columns: both columns hold the same values by then); triggers with UPDATE OF
  fire on either column meanwhile, and on the new one only from the contract; trigger
  functions and WHEN conditions switch in the contract step, with the old column's drop;
  policies are re-pointed with the views; materialized views are built anew under a
  temporary name and swapped in at the contract;
- a type change: views, triggers and policies are dropped and re-created around the swap,
  in its transaction, so from the swap on they read the new type under the old name;
  materialized views are built after the swap and swapped in at the contract;
- what cannot be moved online (generated columns, rules, other tables' foreign keys to the
  column, a partition or an inheritance parent) is refused with the reason and the steps to
  take by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from migsmith.tools.dialects.base import StepDraft
from migsmith.tools.errors import SpecError
from migsmith.tools.planning import actions as A
from migsmith.tools.planning.dependents import column_uses, function_users, trigger_function
from migsmith.tools.spec.identifiers import bounded_name


@dataclass
class DependentWork:
    """What a change does with the dependents of its column: steps of their own, actions for
    the switch (type change: the swap) and contract steps, and a note for PLAN.md on each
    dependent, with where it is handled ("switch", "contract", "both", a step, or None)."""

    steps: list[StepDraft] = field(default_factory=list)
    before: list[A.Action] = field(default_factory=list)  # before the drop (or the renames)
    after: list[A.Action] = field(default_factory=list)  # after the drop (or the renames)
    contract: list[A.Action] = field(default_factory=list)  # type change: the contract step
    notes: list[tuple] = field(default_factory=list)
    switch: StepDraft | None = None

    def record(self, ctx, on: str, contract: StepDraft, swap: StepDraft | None = None) -> None:
        for kind, name, handling, where in self.notes:
            switch = [swap or self.switch] if (swap or self.switch) else []
            drafts = {"switch": switch, "contract": [contract], "both": switch + [contract],
                      None: []}.get(where) if not isinstance(where, StepDraft) else [where]
            ctx.depend(kind, name, on, handling, *drafts)


class DependentRecipes:
    """Dependents of a renamed or retyped column (see the module docstring)."""

    # ----------------------------------------------------------------- refusals
    def _refuse_dependents(self, op, ctx, uses, purpose: str) -> None:
        table = ctx.schema.table(op.table)
        where = f"{op.table}.{op.column}"
        alternative = ("set options.downtime_allowed=true for the plain statement in a "
                       "maintenance window")
        if table.partition_of:
            raise SpecError(f"{op.table} is a partition of {table.partition_of}: PostgreSQL "
                            "changes a partition's columns only through its parent",
                            hint=f"ask for the change on {table.partition_of}")
        children = [t.name for t in ctx.schema.tables.values() if table.name in t.inherits]
        if children:
            raise SpecError(f"{op.table} has inheritance children ({', '.join(children)}): "
                            f"rows written to them bypass the trigger that keeps {purpose} "
                            "in step", hint=alternative)
        for use in uses:
            if use.kind == "generated_column":
                raise SpecError(
                    f"generated column {op.table}.{use.name} computes from {where}: "
                    f"PostgreSQL cannot point it at another column without rewriting the "
                    f"table, so {purpose} cannot run online", hint=alternative + " (a "
                    "plain RENAME carries the expression along; a type change needs the "
                    "generated column dropped, the type changed and the column added back)")
            if use.kind == "rule":
                raise SpecError(f"rule {use.name} on {op.table} reads {where}; migsmith does "
                                "not rewrite rules", hint=alternative + ", or drop the rule, "
                                "apply the plan and re-create the rule on the new column")
            if use.kind == "referencing_foreign_key":
                raise SpecError(f"{where} is referenced by foreign key {use.name} on "
                                f"{use.table}; {purpose} online would orphan it",
                                hint=alternative + ", or add a unique key on the new column, "
                                "re-point the foreign key at it, then drop the old column")
            if use.kind == "trigger" and any(p.startswith("function") for p in use.parts):
                fn = trigger_function(ctx.schema, use.obj)
                others = sorted({t.table for t in function_users(ctx.schema, fn)} - {table.name})
                if others and op.op == "rename_column":
                    raise SpecError(
                        f"trigger function {fn.name} reads NEW.{op.column} and is also run by "
                        f"triggers on {', '.join(others)}: renaming the column in its body "
                        f"would break those tables", hint=f"give {op.table} its own copy of "
                        f"{fn.name} first (CREATE FUNCTION ... and re-create trigger "
                        f"{use.name} with it), then plan the rename")

    # ----------------------------------------------------------------- a rename
    def _rename_dependents(self, op, ctx, new_name: str) -> DependentWork:
        """The views, triggers, policies and functions that read the column, for a rename.
        Indexes, checks and foreign keys are copied by the dual-column steps."""
        uses = column_uses(ctx.schema, op.table, op.column)
        self._refuse_dependents(op, ctx, uses, "a rename")
        work = DependentWork()
        switch: list[A.Action] = []
        functions_done: set[str] = set()
        swapped: set[str] = set()
        for use in uses:
            if use.kind == "view" and "query" in use.parts:
                view = use.obj
                query = self.rename_view_query(ctx.schema, view, op.table, op.column, new_name)
                switch.append(A.ReplaceObject("view", view.name, view.name,
                                              self.view_sql(view.name, query, True),
                                              self.view_sql(view.name, view.definition, True)))
                work.notes.append(("view", view.name, f"re-pointed at {new_name} before the "
                                   "deploy (CREATE OR REPLACE VIEW with the same output columns: "
                                   "code reading the view sees no change)", "switch"))
            elif use.kind == "materialized_view" and "query" in use.parts:
                mv = use.obj
                query = self.rename_view_query(ctx.schema, mv, op.table, op.column, new_name)
                build, swap = self._matview_swap(ctx, mv, query)
                work.steps.append(build)
                work.before += swap
                swapped.add(mv.name)
                work.notes.append(("materialized_view", mv.name, f"built anew reading "
                                   f"{new_name} as {build.actions[0].name} (with its indexes "
                                   "and grants), swapped in at the contract step", build))
            elif use.kind in ("view", "materialized_view"):
                self._view_over(ctx, use, swapped, work)
            elif use.kind == "trigger":
                tg = use.obj
                both = None
                if "UPDATE OF" in use.parts:
                    both = self.rename_in_trigger(tg.definition, op.column, new_name,
                                                  keep_old=True)
                    switch.append(A.ReplaceObject("trigger", op.table, tg.name, both,
                                                  tg.definition))
                if "UPDATE OF" in use.parts or "WHEN" in use.parts:
                    work.before.append(A.ReplaceObject(
                        "trigger", op.table, tg.name,
                        self.rename_in_trigger(tg.definition, op.column, new_name),
                        both or tg.definition))
                fn = trigger_function(ctx.schema, tg)
                if any(p.startswith("function") for p in use.parts) and \
                        fn.signature not in functions_done:
                    functions_done.add(fn.signature)
                    work.before.append(A.ReplaceObject(
                        "function", fn.signature, fn.signature,
                        self.rename_in_function(fn.definition, op.column, new_name),
                        self.or_replace(fn.definition)))
                where = "both" if both else "contract"
                work.notes.append(("trigger", tg.name,
                                   _trigger_note(use.parts, op.column, new_name), where))
            elif use.kind == "policy":
                old = self.policy_sql(use.obj.text)
                switch.append(A.ReplaceObject("policy", op.table, use.name, self.rename_in_policy(
                    ctx.schema, use.obj.text, op.table, op.column, new_name), old))
                work.notes.append(("policy", use.name, f"re-created reading {new_name} before "
                                   "the deploy (both columns hold the same values by then)",
                                   "switch"))
        if switch:
            work.switch = StepDraft(
                title=f"point what reads {op.table}.{op.column} at {new_name}", phase="switch",
                actions=switch,
                deploy_note=f"No code change: {op.column} and {new_name} hold the same values, "
                            "so readers see no difference.")
            work.steps.append(work.switch)
        return work

    def _view_over(self, ctx, use, swapped: set[str], work: DependentWork) -> None:
        """A view that reads the column only through another view: left alone, unless what it
        reads is dropped for a swap (then it is dropped before and re-created after)."""
        reads = {ctx.schema._key(u.table) for u in use.obj.depends_on}
        if reads & swapped:
            swapped.add(use.name)
            definition = self.view_definition(ctx, use.obj)
            work.before.insert(0, A.DropObject(use.kind, use.name, use.name, definition))
            work.after.append(A.DefineObject(use.kind, use.name, use.name, definition))
            work.notes.append((use.kind, use.name, "reads a materialized view that is swapped: "
                               "dropped and re-created around the swap", "contract"))
        else:
            work.notes.append((use.kind, use.name, "reads a view above whose columns stay the "
                               "same: unchanged", None))

    def _matview_swap(self, ctx, mv, query: str, restore: str | None = None
                      ) -> tuple[StepDraft, list[A.Action]]:
        """A step building ``mv`` anew from ``query`` under a temporary name, with its
        indexes, and the contract actions that swap it in (brief: renames only). The swap's
        down re-creates ``mv`` from ``restore`` (default: its own query)."""
        tmp = bounded_name(mv.name.split(".")[-1], suffix="new", dialect=self.name)
        if "." in mv.name:
            tmp = f"{mv.name.rsplit('.', 1)[0]}.{tmp}"
        renames: list[A.Action] = []
        indexes = []
        for idx in mv.indexes:
            tmp_idx = bounded_name(idx.name, suffix="new", dialect=self.name)
            indexes.append(idx.model_copy(update={"name": tmp_idx, "table": tmp,
                                                  "definition": None}))
            renames.append(A.RenameIndex(mv.name, tmp_idx, idx.name))
        built = mv.model_copy(update={"name": tmp, "definition": query, "indexes": indexes})
        build = StepDraft(
            title=f"build materialized view {mv.name} anew as {tmp}", phase="switch",
            actions=[A.DefineObject("materialized_view", tmp, tmp,
                                    self.view_definition(ctx, built, extras_of=mv.name))],
            deploy_note=f"No code change: {mv.name} keeps serving reads; {tmp} holds the data "
                        "as of this step until the swap (REFRESH it then as usual).",
            est_seconds=round(self.seconds("scan", None), 3))
        old = mv.model_copy(update={"definition": restore}) if restore else mv
        swap = [A.DropObject("materialized_view", mv.name, mv.name,
                             self.view_definition(ctx, old)),
                A.RenameView(tmp, mv.name, materialized=True)] + renames
        return build, swap


def _trigger_note(parts: tuple[str, ...], old: str, new: str) -> str:
    said = []
    if "UPDATE OF" in parts:
        said.append(f"fires on UPDATE OF {old} or {new} from before the deploy, on {new} only "
                    "from the contract step")
    if "WHEN" in parts:
        said.append(f"its WHEN condition reads {new} from the contract step")
    if any(p.startswith("function") for p in parts):
        fn = next(p for p in parts if p.startswith("function")).removeprefix("function ")
        said.append(f"its function {fn} reads NEW.{new} / OLD.{new} from the contract step "
                    "(CREATE OR REPLACE FUNCTION, in the same transaction as the drop)")
    return "; ".join(said)
