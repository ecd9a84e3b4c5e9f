"""Where MySQL/MariaDB plans differ from the shared recipes: no transactional DDL, no NOT VALID,
no concurrent index builds, so steps are shaped around INSTANT/INPLACE/COPY instead.
"""

from __future__ import annotations

from migsmith.tools.dialects.base import Check, PlanContext, StepDraft
from migsmith.tools.dialects.mysql.online import COPY
from migsmith.tools.dialects.mysql.types import mysql_type_loss
from migsmith.tools.errors import SpecError
from migsmith.tools.planning import actions as A
from migsmith.tools.planning.dependents import column_uses
from migsmith.tools.schema.model import Column, Constraint, Index
from migsmith.tools.spec.expressions import is_volatile


class MySQLRecipes:
    """The recipes MySQL/MariaDB override."""

    def plan_operation(self, op, ctx: PlanContext) -> list[StepDraft]:
        self._remember(ctx)
        drafts = super().plan_operation(op, ctx)
        for d in drafts:
            for old, new in self._WORDING:
                d.title = d.title.replace(old, new)
                d.deploy_note = d.deploy_note.replace(old, new)
        return drafts

    def simple_actions(self, op, ctx: PlanContext) -> list[A.Action]:
        self._remember(ctx)
        return super().simple_actions(op, ctx)

    def _remember(self, ctx: PlanContext) -> None:
        for table in ctx.schema.tables.values():
            for col in table.columns:
                self._columns[(table.name, col.name)] = col  # as it stands before this operation

    def _copy_column_steps(self, op, ctx, new_name, new_type, *args, **kwargs):
        # The shadow column starts nullable without a default (see Postgres._copy_column_steps).
        self._columns[(op.table, new_name)] = Column(name=new_name, type=new_type, nullable=True)
        return super()._copy_column_steps(op, ctx, new_name, new_type, *args, **kwargs)

    def _index_step(self, index: Index, ctx: PlanContext, note: str, phase: str = "expand",
                    title: str | None = None) -> StepDraft:
        if index.where:
            raise SpecError(f"MySQL has no partial indexes (index {index.name} WHERE "
                            f"{index.where})",
                            hint="index the full column (drop 'where'), or index a generated "
                                 "column that is NULL outside the predicate")
        if index.method not in (None, "btree", "hash"):
            raise SpecError(f"MySQL (InnoDB) has no {index.method} indexes",
                            hint="use a btree index, or a FULLTEXT index created by hand")
        new_table = index.table in ctx.new_tables
        rows = ctx.rows(index.table)
        checks = [self._table_exists(index.table),
                  Check("index_missing", index.table, name=index.name,
                        message=f"index {index.name} does not exist yet")]
        if index.unique and not new_table:
            checks.append(Check("no_duplicates", index.table, columns=tuple(index.columns),
                                message=f"{index.table}({', '.join(index.columns)}) has no "
                                        "duplicates"))
        return StepDraft(
            title=title or f"build index {index.name} on {index.table}"
                           + ("" if new_table else " online (INPLACE, LOCK=NONE)"),
            phase=phase, actions=[A.CreateIndex(index, concurrently=False)], deploy_note=note,
            checks=checks, est_seconds=round(self.seconds("index", rows), 3))

    def _not_null_steps(self, table: str, column: str, ctx: PlanContext,
                        note: str) -> list[StepDraft]:
        rows = ctx.rows(table)
        checks = [self._col_exists(table, column)]
        if table not in ctx.new_tables and rows != 0:
            checks.append(Check("no_nulls", table, column,
                                message=f"no row has {column} NULL (backfill first otherwise)"))
        return [StepDraft(
            title=f"set {table}.{column} NOT NULL (online rebuild, INPLACE, LOCK=NONE)",
            phase="constrain", actions=[A.SetNotNull(table, column)],
            deploy_note=note + " The rebuild copies rows in the background; reads and writes "
                               "continue. It fails, changing nothing, if a NULL arrives meanwhile.",
            checks=checks, est_seconds=round(self.seconds("rewrite", rows), 3))]

    def plan_add_column(self, op, ctx):
        if op.column.default is not None and is_volatile(op.column.default, "mysql"):
            raise SpecError(f"a non-deterministic default ({op.column.default}) makes MySQL add "
                            f"{op.column.name} with ALGORITHM=COPY, blocking writes",
                            hint="add the column without a default, backfill it, then "
                                 "set_default (each step online)")
        return super().plan_add_column(op, ctx)

    def type_change_loss(self, old: str, new: str) -> str | None:
        return mysql_type_loss(old, new)

    def plan_alter_column_type(self, op, ctx):
        table = ctx.schema.table(op.table)
        col = table.column(op.column)
        loss = self.type_change_loss(col.type, op.new_type)
        if loss and not ctx.options.allow_data_loss:
            raise SpecError(f"changing {op.table}.{col.name} from {col.type} to {op.new_type} "
                            f"{loss}: data would be lost; refused",
                            hint="set options.allow_data_loss=true (CLI: --allow-data-loss) "
                                 "after checking the data fits or is no longer needed")
        action = self.simple_alter_column_type(op, ctx)[0]
        clause, why = self.online_rule(action)
        rows = ctx.rows(op.table)
        copying = clause == COPY and op.table not in ctx.new_tables
        note = ("Writes to the table wait for the whole copy (LOCK=SHARED): use a maintenance "
                "window, or run the gh-ost / pt-online-schema-change command from the plan "
                "notes instead of this step (same end state, no write block)."
                if copying else "Online: reads and writes continue.")
        back_clause, _ = self.online_rule(action.inverse()[0])
        for use in column_uses(ctx.schema, op.table, op.column):
            if use.kind == "view":
                ctx.depend("view", use.name, f"{op.table}.{op.column}", "unchanged: MySQL "
                           "resolves a view when it is queried, so it reads the new type at once")
        return [StepDraft(
            title=f"change {op.table}.{col.name} to {op.new_type} ({clause.split(',')[0]})",
            phase="expand", actions=[action], deploy_note=note + " " + why + ".",
            checks=[self._col_exists(op.table, col.name)],
            lint_expect=self._copy_expected(clause, f"{col.type} -> {op.new_type}"),
            down_lint_expect=self._copy_expected(back_clause, f"{op.new_type} -> {col.type}"),
            est_seconds=round(self.seconds("rewrite" if copying else "ddl", rows), 3))]

    @staticmethod
    def _copy_expected(clause: str, what: str) -> list[tuple[str, str]]:
        """A COPY the server cannot avoid is named, with its reason, instead of hidden."""
        if clause != COPY:
            return []
        return [("mysql-require-algorithm-lock",
                 f"only ALGORITHM=COPY can do {what} (writes wait for the copy); on a large "
                 "table run the gh-ost / pt-online-schema-change command from the plan notes")]

    def simple_alter_column_type(self, op, ctx):
        col = ctx.schema.table(op.table).column(op.column)
        self._columns[(op.table, col.name)] = col
        return [A.AlterColumnType(op.table, col.name, col.type, op.new_type,
                                  loss=self.type_change_loss(col.type, op.new_type))]

    def plan_drop_index(self, op, ctx):
        table, idx = ctx.schema.find_index(op.name)
        return [StepDraft(title=f"drop index {op.name} on {table.name} (INPLACE, LOCK=NONE)",
                          phase="contract", actions=[A.DropIndex(idx, concurrently=False)],
                          deploy_note="No code change; watch for queries that get slower.")]

    def plan_add_foreign_key(self, op, ctx):
        con = self._fk_constraint(op)
        if op.table in ctx.new_tables:
            return [StepDraft(title=f"add foreign key {op.name}", phase="expand",
                              actions=[A.AddConstraint(con)], deploy_note="")]
        steps = self._fk_index_steps(op, ctx, "No code change. InnoDB needs an index on the "
                                              "referencing columns; building it first keeps the "
                                              "constraint step short.")
        steps.append(StepDraft(
            title=f"add foreign key {op.name} online (foreign_key_checks=0, INPLACE)",
            phase="constrain", actions=[A.AddConstraint(con, not_valid=True)],
            deploy_note="Before: deploy code that never writes a row without its parent. The "
                        "precondition proves existing rows have parents (a scan); with "
                        "foreign_key_checks=0 the ALTER itself does not re-check them, which is "
                        "what lets it run in place. New writes are checked from then on.",
            checks=[self._table_exists(op.table), self._table_exists(op.ref_table),
                    Check("constraint_missing", op.table, name=op.name,
                          message=f"constraint {op.name} does not exist yet"),
                    # name: the parent table; columns: the referencing, then the referenced ones
                    Check("no_orphans", op.table, name=op.ref_table,
                          columns=tuple(op.columns) + tuple(op.ref_columns),
                          message=f"every {op.table}({', '.join(op.columns)}) has a parent in "
                                  f"{op.ref_table}")],
            est_seconds=round(self.seconds("scan", ctx.rows(op.table)), 3)))
        return steps

    def plan_add_check_constraint(self, op, ctx):
        con = Constraint(name=op.name, table=op.table, kind="check", expression=op.expression)
        rows = ctx.rows(op.table)
        return [StepDraft(
            title=f"add check {op.name} (ALGORITHM=COPY: writes wait)", phase="constrain",
            actions=[A.AddConstraint(con)],
            deploy_note="Before: deploy code that only writes rows that pass the check. MySQL "
                        "has no NOT VALID: the check is validated by copying the table while "
                        "writes wait; on a large table run it in a quiet period or with gh-ost.",
            checks=[self._table_exists(op.table),
                    Check("constraint_missing", op.table, name=op.name,
                          message=f"constraint {op.name} does not exist yet")],
            lint_expect=self._copy_expected(COPY, "adding a CHECK constraint"),
            est_seconds=round(self.seconds("rewrite", rows), 3))]

    def plan_add_unique_constraint(self, op, ctx):
        con = Constraint(name=op.name, table=op.table, kind="unique", columns=list(op.columns),
                         index=op.name)
        new_table = op.table in ctx.new_tables
        checks = [Check("index_missing", op.table, name=op.name,
                        message=f"no index or constraint {op.name} exists yet")]
        if not new_table:
            checks.append(Check("no_duplicates", op.table, columns=tuple(op.columns),
                                message=f"{op.table}({', '.join(op.columns)}) has no duplicates"))
        return [StepDraft(
            title=f"add unique constraint {op.name} (index build, INPLACE, LOCK=NONE)",
            phase="constrain", actions=[A.AddConstraint(con)],
            deploy_note="Before: deploy code that never writes duplicates. In MySQL a unique "
                        "constraint is a unique index, built online.",
            checks=checks, est_seconds=round(self.seconds("index", ctx.rows(op.table)), 3))]

    def plan_drop_constraint(self, op, ctx):
        con = ctx.schema.table(op.table).constraint_named(op.name)
        if con is not None and con.kind == "primary_key":
            raise SpecError(f"dropping the primary key of {op.table} makes InnoDB rebuild the "
                            "table around a hidden row id (ALGORITHM=COPY, writes blocked), and "
                            "replication without a key gets slow",
                            hint="add the new unique NOT NULL key first, then swap keys in a "
                                 "maintenance window or with gh-ost")
        return [StepDraft(title=f"drop constraint {op.name} on {op.table}", phase="contract",
                          actions=[A.DropConstraint(con)],
                          deploy_note="No code change; the database stops enforcing the rule.",
                          checks=[Check("constraint_exists", op.table, name=op.name,
                                        message=f"constraint {op.name} exists")])]

    def has_alternative(self, op, ctx: PlanContext) -> bool:
        # These plans already are the plain statement (with its algorithm named).
        plain = ("add_index", "alter_column_type", "add_check_constraint",
                 "add_unique_constraint", "set_not_null")
        return super().has_alternative(op, ctx) and op.op not in plain
