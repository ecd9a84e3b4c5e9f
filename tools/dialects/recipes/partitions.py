"""Indexes and foreign keys on partitioned tables (PostgreSQL's declarative partitioning).

PostgreSQL refuses ``CREATE INDEX CONCURRENTLY`` on a partitioned table and a ``NOT VALID``
foreign key from one (before 18), and a plain statement on the parent locks every partition
for the whole build or scan. So the work is done partition by partition:

- an index: each leaf partition's index is built concurrently in a step of its own; then one
  brief transaction creates the parent's index ``ON ONLY`` the partitioned table (no data of its
  own, born invalid) and attaches every partition's index to it, leaf level first, which makes
  it valid. The down of that step drops the parent's index, and the attached ones with it;
- a foreign key: each leaf partition gets the key ``NOT VALID`` and validated (a scan that
  does not block writes); then the parent's key is added, which attaches the partitions' keys
  instead of scanning again. A partition that already had the same key keeps it: it is
  attached too, and since dropping the parent's key drops every attached one, the down puts
  that partition's own key back.
"""

from __future__ import annotations

from migsmith.tools.dialects.base import Check, StepDraft
from migsmith.tools.errors import SpecError
from migsmith.tools.planning import actions as A
from migsmith.tools.planning.dependents import table_partitions
from migsmith.tools.schema.model import Constraint, Index
from migsmith.tools.spec.identifiers import bounded_name


class PartitionRecipes:
    """Indexes and foreign keys on partitioned tables."""

    def _partitioned_index_steps(self, index: Index, ctx, note: str, phase: str = "expand",
                                 title: str | None = None) -> list[StepDraft]:
        schema = ctx.schema
        table = schema.table(index.table)
        if index.unique:
            missing = [k for k in table.partitioning.key if k not in index.columns]
            if missing:
                raise SpecError(f"a unique index on partitioned table {table.name} must include "
                                f"its partition key ({', '.join(table.partitioning.key)})",
                                hint=f"add {', '.join(missing)} to the index columns")
        creates: list[A.Action] = [A.CreateIndex(index, concurrently=False, only=True)]
        builds: list[StepDraft] = []
        attaches: list[A.AttachIndex] = []

        def walk(parent: Index, parent_table: str) -> None:
            for part in schema.partitions_of(parent_table):
                name = bounded_name(part.name.split(".")[-1], index.name, dialect=self.name)
                child = index.model_copy(update={"name": name, "table": part.name,
                                                 "definition": None})
                if part.partitioning:
                    creates.append(A.CreateIndex(child, concurrently=False, only=True))
                    walk(child, part.name)
                else:
                    step = self._index_step(child, ctx, note, phase=phase,
                                            title=f"build index {name} on partition {part.name} "
                                                  "concurrently")
                    builds.append(step)
                    ctx.depend("partition", part.name, table.name,
                               f"gets its own index {name}, built concurrently and attached to "
                               f"{index.name}", step)
                attaches.append(A.AttachIndex(self.index_ref(parent), self.index_ref(child),
                                              parent_table, drops=None if attaches else index))

        walk(index, table.name)
        start = StepDraft(
            title=title or f"create index {index.name} on partitioned table {table.name} only "
                           "(invalid until its partitions' indexes are attached)",
            phase=phase, actions=creates, deploy_note=note + " Brief: the parent holds no rows.",
            checks=[self._table_exists(table.name),
                    Check("index_missing", table.name, name=index.name,
                          message=f"index {index.name} does not exist yet")],
            lint_expect=[("require-concurrent-index-creation", "ON ONLY a partitioned table: "
                          "PostgreSQL refuses CONCURRENTLY there, and the parent holds no rows; "
                          "the partitions' indexes are built concurrently next")],
            down_lint_expect=[("require-concurrent-index-deletion", "a partitioned index "
                               "cannot be dropped concurrently; dropping it is brief")])
        attach = StepDraft(
            title=f"attach the partitions' indexes to {index.name}, which makes it valid "
                  f"({len(table_partitions(schema, table.name))} partitions)",
            phase=phase, actions=list(attaches),
            deploy_note="No code change. Attaching a built index only records it; reads and "
                        "writes go on.",
            down_lint_expect=[("require-concurrent-index-deletion", "a partitioned index "
                               "cannot be dropped concurrently; dropping it (and the attached "
                               "partition indexes with it) is brief")])
        return [start] + builds + [attach]

    def _partitioned_fk_steps(self, op, ctx, con: Constraint) -> list[StepDraft]:
        schema = ctx.schema
        steps: list[StepDraft] = []
        kept: list[Constraint] = []
        for leaf in table_partitions(schema, op.table):
            own = self._same_foreign_key(leaf, con)
            if own is not None:
                kept.append(own)
                ctx.depend("partition", leaf.name, op.table,
                           f"already has this key as {own.name}: it is attached to {con.name} "
                           "(no scan), and the down re-creates it", )
                continue
            part = con.model_copy(update={"table": leaf.name})
            add = StepDraft(
                title=f"add foreign key {con.name} NOT VALID on partition {leaf.name}",
                phase="constrain",
                actions=[A.LockTable(con.ref_table, "SHARE ROW EXCLUSIVE"),
                         A.AddConstraint(part, not_valid=True)],
                deploy_note="Before: deploy code that never writes a row without its parent.",
                checks=[Check("constraint_missing", leaf.name, name=con.name,
                              message=f"constraint {con.name} does not exist yet on {leaf.name}")])
            validate = StepDraft(
                title=f"validate foreign key {con.name} on partition {leaf.name} (scans, does "
                      "not block writes)", phase="constrain",
                actions=[A.ValidateConstraint(leaf.name, con.name, con.ref_table)],
                deploy_note="No code change. Fails if orphan rows exist: fix them and re-run.",
                est_seconds=round(self.seconds("scan", leaf.row_estimate), 3))
            steps += [add, validate]
            ctx.depend("partition", leaf.name, op.table, f"gets {con.name} NOT VALID, validated "
                       "on its own, then attached to the partitioned table's key", add, validate)
        steps.append(StepDraft(
            title=f"add foreign key {con.name} on partitioned table {op.table} (attaches the "
                  "partitions' validated keys, no scan)", phase="constrain",
            actions=[A.AddConstraint(con, restores=tuple(kept))],
            deploy_note="No code change: every partition already enforces the key.",
            checks=[self._table_exists(op.table), self._table_exists(con.ref_table),
                    Check("constraint_missing", op.table, name=con.name,
                          message=f"constraint {con.name} does not exist yet")]))
        return steps

    def _partition_keys_kept(self, ctx, op, con: Constraint) -> tuple[Constraint, ...]:
        """The partitions' own copies of ``con``, which adding it to the parent attaches."""
        return tuple(own for leaf in table_partitions(ctx.schema, op.table)
                     for own in [self._same_foreign_key(leaf, con)] if own is not None)

    @staticmethod
    def _same_foreign_key(table, con: Constraint) -> Constraint | None:
        return next((c for c in table.constraints if c.kind == "foreign_key"
                     and c.columns == con.columns and c.ref_columns == con.ref_columns
                     and (c.ref_table or "").removeprefix("public.")
                     == (con.ref_table or "").removeprefix("public.")), None)
