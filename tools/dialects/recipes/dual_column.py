"""The expand/contract machinery behind renames and type changes: a second column kept in step
by a trigger, backfilled in batches, with indexes and constraints copied; then the old column
contracted away once the new code is out.
"""

from __future__ import annotations

from migsmith.tools.dialects.base import StepDraft, _plain
from migsmith.tools.errors import SpecError
from migsmith.tools.planning import actions as A
from migsmith.tools.planning.dependents import expression_columns, index_parts
from migsmith.tools.schema.model import Column, Index
from migsmith.tools.spec.identifiers import bounded_name


class DualColumn:
    """The expand/contract machinery behind renames and type changes."""

    def _dual_column_refusal(self, table, col, what: str) -> None:
        if col.name in table.primary_key:
            raise SpecError(f"{what} of primary-key column {table.name}.{col.name} needs a "
                            "key swap that migsmith does not automate",
                            hint="set options.downtime_allowed=true for the simple plan with a "
                                 "maintenance window")

    def _sync(self, table: str, old: str, new: str, to_new: str, to_old: str) -> A.SyncTrigger:
        short = table.split(".")[-1]
        return A.SyncTrigger(table=table, old_column=old, new_column=new,
                             function=bounded_name(short, old, new, suffix="sync"),
                             trigger=bounded_name(short, old, new, suffix="sync_trg"),
                             to_new=to_new, to_old=to_old)

    def _copy_column_steps(self, op, ctx, new_name: str, new_type: str, to_new: str,
                           to_old: str, purpose: str
                           ) -> tuple[list[StepDraft], A.SyncTrigger, list[A.Action]]:
        """Expand and backfill a shadow column kept in sync by a trigger.

        Also returns the renames that give the copied indexes and constraints their original
        names once the old column is gone, so the plan ends where a plain rename would."""
        renames: list[A.Action] = []
        table = ctx.schema.table(op.table)
        col = table.column(op.column)
        self._dual_column_refusal(table, col, purpose)
        sync = self._sync(op.table, col.name, new_name, to_new, to_old)
        new_col = Column(name=new_name, type=new_type, nullable=True)
        steps = [StepDraft(
            title=f"add {op.table}.{new_name} and a trigger that keeps it in step with {col.name}",
            phase="expand", actions=[A.AddColumn(op.table, new_col), sync],
            deploy_note=f"No code change needed first: the trigger copies every write of "
                        f"{col.name} into {new_name} and back, so old and new code can run side "
                        "by side (this is the dual-write, done by the database).",
            checks=[self._col_exists(op.table, col.name), self._col_missing(op.table, new_name)])]
        steps.append(self._backfill_step(op.table, new_name, to_new.replace("NEW.", ""), None, ctx,
                                         "No code change; runs while traffic flows.",
                                         own_triggers=(sync.trigger,)))
        # No default on the new column while both run: a BEFORE trigger cannot tell a default
        # from a value the writer chose, so a default here would overwrite old code's writes.
        # The default moves over when the old column goes (contract, or the swap).
        if not col.nullable:
            steps += self._not_null_steps(op.table, new_name, ctx, "No code change.")
        for idx in table.indexes:
            if idx.primary or not index_parts(idx, col.name, self.name):
                continue
            copy_name = (idx.name.replace(col.name, new_name, 1) if col.name in idx.name
                         else bounded_name(idx.name, new_name, dialect=self.name))
            if table.index_named(copy_name) or len(copy_name) > 63:
                copy_name = bounded_name(idx.name, new_name, dialect=self.name)
            copy = self._index_copy(idx, col.name, new_name, copy_name)
            built = self._index_steps(copy, ctx, "No code change.", phase="constrain",
                                      title=f"copy index {idx.name} onto {new_name}")
            steps += built
            ctx.depend("index", idx.name, f"{op.table}.{col.name}",
                       f"copied onto {new_name} with its whole definition as {copy_name} "
                       f"(reads {', '.join(index_parts(idx, col.name, self.name))}); takes "
                       f"back the name {idx.name} at the contract step", *built)
            backing = next((c for c in table.constraints
                            if c.index == idx.name and c.kind == "unique"), None)
            if backing is not None:  # a unique constraint stays a constraint, not just an index
                con = backing.model_copy(update={"name": copy_name, "index": copy_name,
                                                 "columns": list(copy.columns)})
                steps.append(StepDraft(
                    title=f"attach {copy_name} as unique constraint (no scan)", phase="constrain",
                    actions=[A.AddConstraint(con, using_index=copy_name)],
                    deploy_note="No code change; a brief lock, the index is already built."))
                renames.append(A.RenameConstraint(op.table, copy_name, backing.name, unique=True))
            elif copy_name != idx.name:
                renames.append(A.RenameIndex(op.table, copy_name, idx.name))
        for con in table.constraints:
            if con.kind != "check" or not con.expression or con.name.endswith("_not_null") or (
                    col.name not in con.columns and col.name.lower() not in expression_columns(
                        con.expression, self.name)):
                continue
            check = con.model_copy(update={
                "name": bounded_name(con.name, new_name, dialect=self.name)
                if col.name not in con.name else con.name.replace(col.name, new_name, 1),
                "columns": [new_name if c == col.name else c for c in con.columns],
                "expression": self.rename_in_expression(con.expression, col.name, new_name)})
            renames.append(A.RenameConstraint(op.table, check.name, con.name))
            steps.append(StepDraft(
                title=f"copy check {con.name} onto {new_name} NOT VALID", phase="constrain",
                actions=[A.AddConstraint(check, not_valid=True)],
                deploy_note="No code change: rows written from now on are checked."))
            steps.append(StepDraft(
                title=f"validate check {check.name} (scans, does not block)", phase="constrain",
                actions=[A.ValidateConstraint(op.table, check.name)], deploy_note="No code change.",
                est_seconds=round(self.seconds("scan", ctx.rows(op.table)), 3)))
            ctx.depend("check", con.name, f"{op.table}.{col.name}",
                       f"copied onto {new_name} NOT VALID and validated; takes back the name "
                       f"{con.name} at the contract step", *steps[-2:])
        # Foreign keys move to the new column too (NOT VALID, then validated): otherwise the
        # renamed or retyped column silently loses its reference when the old one is dropped.
        # Found by migsmith verify (the state after up, compared with the spec).
        for con in table.constraints:
            if con.kind != "foreign_key" or col.name not in con.columns:
                continue
            cols = [new_name if c == col.name else c for c in con.columns]
            fk = con.model_copy(update={"columns": cols, "name": bounded_name(
                op.table.split(".")[-1], *cols, suffix="fkey", dialect=self.name)})
            renames.append(A.RenameConstraint(op.table, fk.name, con.name))
            steps.append(StepDraft(
                title=f"copy foreign key {con.name} onto {new_name} NOT VALID", phase="constrain",
                actions=[A.LockTable(con.ref_table, "SHARE ROW EXCLUSIVE"),
                         A.AddConstraint(fk, not_valid=True)],
                deploy_note="No code change: rows written from now on are checked."))
            steps.append(StepDraft(
                title=f"validate foreign key {fk.name} (scans, does not block writes)",
                phase="constrain", actions=[A.ValidateConstraint(op.table, fk.name, con.ref_table)],
                deploy_note="No code change.",
                est_seconds=round(self.seconds("scan", ctx.rows(op.table)), 3)))
            ctx.depend("foreign_key", con.name, f"{op.table}.{col.name}",
                       f"copied onto ({', '.join(cols)}) NOT VALID and validated; takes back "
                       f"the name {con.name} at the contract step", *steps[-2:])
        return steps, sync, renames

    def _index_copy(self, idx: Index, old: str, new: str, name: str) -> Index:
        """``idx`` on column ``new`` instead of ``old``: every key (DESC, NULLS, collation,
        operator class kept), expression, INCLUDE column and predicate rewritten."""
        def rn(text):
            return self.rename_in_expression(text, old, new)

        keys = [k.model_copy(update={"column": new if k.column == old else k.column,
                                     "expression": rn(k.expression)}) for k in idx.keys]
        columns = [new if c == old else (c if _plain(c) else rn(c)) for c in idx.columns]
        return idx.model_copy(update={
            "name": name, "keys": keys, "columns": columns, "where": rn(idx.where),
            "include": [new if c == old else c for c in idx.include], "definition": None,
            "columns_used": [new if c == old else c for c in idx.columns_used]})

    def _contract_old_column(self, op, ctx, col: Column, sync: A.SyncTrigger, copy_from: str,
                             renames: list[A.Action], before: str, *,
                             moved_default: bool = False, before_drop: list[A.Action] = (),
                             after_drop: list[A.Action] = ()) -> list[StepDraft]:
        table = ctx.schema.table(op.table)
        steps = []
        for idx in table.indexes:
            if idx.primary or any(c.index == idx.name for c in table.constraints) or \
                    not index_parts(idx, col.name, self.name):
                continue
            steps.append(StepDraft(title=f"drop index {idx.name} on the old column concurrently",
                                   phase="contract", actions=[A.DropIndex(idx, concurrently=True)],
                                   deploy_note=f"Before: {before}."))
        other = sync.new_column if sync.old_column == col.name else sync.old_column
        cons = [c for c in table.constraints_on(col.name) if c.kind != "primary_key"]
        move_default = ([A.SetDefault(op.table, other, col.default)]
                        if col.default is not None and not moved_default else [])
        copy = None
        if table.batch_key():
            bf = self.backfill_plan(table, col.name, copy_from, None, ctx.options,
                                    ctx.rows(op.table), schema=ctx.schema,
                                    own_triggers=(sync.trigger,))
            copy = self.backfill_action(bf)
        steps.append(StepDraft(
            title=f"drop the sync trigger and the old column {op.table}.{col.name}",
            phase="contract",
            actions=[A.DropSyncTrigger(sync, reinstall=False)]
                    + [A.DropConstraint(c) for c in cons] + list(before_drop)
                    + [A.DropColumn(op.table, col, copy_from=copy_from, sync=sync, copy=copy)]
                    + list(after_drop) + move_default + renames,
            lint_expect=[("ban-drop-column", f"the values of {col.name} live on in {other}; the "
                          "down re-creates the column and copies them back online"),
                         ("ban-drop-function", "it is the sync trigger function this plan added")]
            + ([("renaming-object", "the copies take back the original index and constraint "
                 "names, so the plan ends where a plain rename would")] if renames else []),
            down_lint_expect=([("ban-drop-default", f"the default moves back to {col.name}")]
                              if move_default else [])
            + ([("renaming-object", "the copies get their temporary names back")]
               if renames else []),
            deploy_note=f"Before: {before}, and let it run long enough to trust it. The down "
                        f"of this step re-creates {col.name} and copies the data back.",
            checks=[self._col_exists(op.table, col.name), self._col_exists(op.table, other)]))
        return steps
