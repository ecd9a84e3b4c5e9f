"""The documented 12-step table rebuild (https://www.sqlite.org/lang_altertable.html#otheralter),
and when native ALTER TABLE ADD COLUMN is enough.
"""

from __future__ import annotations

import re

from migsmith.tools.dialects.base import Check, PlanContext
from migsmith.tools.dialects.sqlite.constants import _LITERAL
from migsmith.tools.planning import actions as A
from migsmith.tools.dialects.sqlglot_views import rename_in_view_query
from migsmith.tools.errors import SpecError
from migsmith.tools.planning.dependents import column_uses, views_in_order
from migsmith.tools.schema.evolve import apply
from migsmith.tools.schema.model import Column


class SQLiteRebuild:
    """The table rebuild and its preconditions."""

    def native_add_column(self, col) -> bool:
        """ALTER TABLE ADD COLUMN's own restrictions (lang_altertable.html#altertabaddcol)."""
        if getattr(col, "primary_key", False):
            return False
        if col.default is not None and not _LITERAL.match(col.default.strip()):
            return False  # CURRENT_TIMESTAMP and expressions are refused by ADD COLUMN
        if not col.nullable and (col.default is None or col.default.strip().upper() == "NULL"):
            return False
        return True

    def rebuild(self, op, ctx: PlanContext) -> A.RebuildTable:
        old = ctx.schema.table(op.table)
        state = ctx.schema.fork()
        apply(state, op, ctx.options.model_copy(update={"allow_data_loss": True}))
        new = state.table(op.new_name if op.op == "rename_table" else op.table)
        renamed = {op.new_name: op.column} if op.op == "rename_column" else {}
        forward, backward = [], []
        for col in new.columns:
            if col.generated:
                continue  # SQLite computes it; it cannot be inserted
            source = renamed.get(col.name, col.name)
            if old.has_column(source):
                expr = self.quote(source)
                if op.op == "alter_column_type" and op.using and col.name == op.column:
                    expr = f"({op.using})"
                forward.append((col.name, expr))
            else:
                forward.append((col.name, self._fill(col)))
        back_renamed = {v: k for k, v in renamed.items()}
        for col in old.columns:
            if col.generated:
                continue
            source = back_renamed.get(col.name, col.name)
            backward.append((col.name, self.quote(source) if new.has_column(source)
                             else self._fill(col)))
        views, own, others = self._rebuild_dependents(ctx, old, op)
        return A.RebuildTable(old=old, new=new, column_map=tuple(forward),
                              reverse_map=tuple(backward), views=views, triggers=own,
                              other_triggers=others)

    def _rebuild_dependents(self, ctx: PlanContext, old, op) -> tuple[tuple, tuple, tuple]:
        """The views and triggers a rebuild of ``old`` drops and re-creates (see RebuildTable),
        recorded for PLAN.md."""
        schema = ctx.schema
        if op.op == "rename_column":
            reads = [u for u in column_uses(schema, old.name, op.column)
                     if u.kind in ("view", "trigger")]
            if reads:
                raise SpecError(f"{reads[0].kind} {reads[0].name} reads {old.name}.{op.column}; "
                                f"SQLite {self.version_text} renames a column only by rebuilding "
                                "the table, which re-creates it unchanged",
                                hint="target SQLite 3.25 or later, whose RENAME COLUMN rewrites "
                                     "views and triggers itself")
        views = tuple((v.name, self.view_statement(v))
                      for v in views_in_order(schema, schema.views_using(old.name)))
        own = tuple((t.name, t.definition) for t in old.triggers if t.definition)
        word = re.compile(rf"(?<![\w$]){re.escape(old.name)}(?![\w$])", re.IGNORECASE)
        others = tuple((t.name, t.definition) for table in schema.tables.values()
                       if table.name != old.name for t in table.triggers
                       if t.definition and word.search(t.body or ""))
        on = old.name
        for name, _ in views:
            ctx.depend("view", name, on, "dropped before the rebuild and re-created after it, "
                       "in its transaction (SQLite cannot rename a table into place while a "
                       "view reads one that is missing)")
        for name, _ in own:
            ctx.depend("trigger", name, on, "re-created after the rebuild (dropping the old "
                       "table drops its triggers)")
        for name, _ in others:
            ctx.depend("trigger", name, on, "its body names the table: dropped before the "
                       "rebuild and re-created after it")
        return views, own, others

    def _native_rename(self, op, ctx: PlanContext) -> list[A.Action]:
        """RENAME COLUMN (3.25+) rewrites indexes, triggers and views itself, but a view that
        selects the column bare then names its output after the new column, which breaks
        views over it and code reading it: such views are dropped before the rename and
        re-created after it with their output names kept."""
        on = f"{op.table}.{op.column}"
        uses = column_uses(ctx.schema, op.table, op.column)
        direct = {u.name for u in uses if u.kind == "view" and "query" in u.parts}
        before, after = [], []
        for view in views_in_order(ctx.schema, [u.obj for u in uses if u.kind == "view"]):
            old = self.view_statement(view)
            new = rename_in_view_query(ctx.schema, old, op.table, op.column, op.new_name,
                                       "sqlite", f"view {view.name}") \
                if view.name in direct else old
            before.insert(0, A.DropObject("view", view.name, view.name, old))
            after.append(A.DefineObject("view", view.name, view.name, new))
            ctx.depend("view", view.name, on, "dropped before the rename and re-created after "
                       "it, reading the new name with its output columns unchanged")
        for use in uses:
            if use.kind != "view":
                ctx.depend(use.kind, use.name, on, "follows the rename: SQLite's RENAME COLUMN "
                           "(3.25+) rewrites it")
        return before + [A.RenameColumn(op.table, op.column, op.new_name)] + after

    @staticmethod
    def view_statement(view) -> str:
        """A SQLite view's CREATE statement (the schema keeps it whole, or only the query)."""
        text = (view.definition or "").strip().rstrip(";")
        if re.match(r"CREATE\s", text, re.IGNORECASE):
            return text
        name = view.name.replace('"', '""')
        return f'CREATE VIEW "{name}" AS {text}'

    def _fill(self, col: Column) -> str:
        """The value a column that did not exist before gets in the copy."""
        if col.default is not None:
            return self.default_sql(col.default) if _LITERAL.match(col.default.strip()) else \
                f"({col.default})"
        return "NULL" if col.nullable else self.placeholder(col.type)

    def _checks(self, op, ctx: PlanContext, rebuild: bool) -> list[Check]:
        t = getattr(op, "table", None)
        out: list[Check] = []
        match op.op:
            case "create_table":
                out.append(Check("table_missing", t, message=f"table {t} does not exist yet"))
            case "add_column":
                out.append(Check("column_missing", t, op.column.name,
                                 message=f"column {t}.{op.column.name} does not exist yet"))
            case "drop_column" | "rename_column" | "alter_column_type" | "set_default" \
                    | "drop_default" | "drop_not_null" | "backfill":
                out.append(Check("column_exists", t, op.column,
                                 message=f"column {t}.{op.column} exists"))
            case "set_not_null" if ctx.null_fill(op.table, op.column) is not None:
                out.append(Check("column_exists", t, op.column,
                                 message=f"column {t}.{op.column} exists"))
            case "set_not_null":
                out.append(Check("no_nulls", t, op.column,
                                 message=f"no row has {op.column} NULL (backfill first otherwise)"))
            case "add_index" | "add_unique_constraint":
                out.append(Check("index_missing", t, name=op.name,
                                 message=f"index {op.name} does not exist yet"))
                if (op.op == "add_unique_constraint" or op.unique) and t not in ctx.new_tables:
                    out.append(Check("no_duplicates", t, columns=tuple(op.columns),
                                     name=getattr(op, "where", None),
                                     message=f"{t}({', '.join(op.columns)}) has no duplicates"))
            case "rename_table":
                out.append(Check("table_missing", op.new_name,
                                 message=f"no table {op.new_name} exists yet"))
        if t and op.op not in ("create_table",) and t not in ctx.new_tables:
            out.insert(0, Check("table_exists", t, message=f"table {t} exists"))
        return out

    def _deploy_note(self, op, rebuild: bool) -> str:
        if rebuild:
            return ("The table is copied inside one transaction while every other writer waits "
                    "(readers continue in WAL mode). Foreign key enforcement is off for the "
                    "copy; PRAGMA foreign_key_check must pass before COMMIT.")
        if op.op in ("rename_column", "rename_table", "drop_column", "drop_table"):
            return ("Breaking for running code: SQLite is embedded, so ship this migration with "
                    "the application version that uses the new names, and run it at start-up "
                    "before the first query.")
        return "One short transaction; other writers wait for it (busy_timeout)."
