"""The documented 12-step table rebuild (https://www.sqlite.org/lang_altertable.html#otheralter),
and when native ALTER TABLE ADD COLUMN is enough.
"""

from __future__ import annotations

from migsmith.tools.dialects.base import Check, PlanContext
from migsmith.tools.dialects.sqlite.constants import _LITERAL
from migsmith.tools.planning import actions as A
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
            source = back_renamed.get(col.name, col.name)
            backward.append((col.name, self.quote(source) if new.has_column(source)
                             else self._fill(col)))
        return A.RebuildTable(old=old, new=new, column_map=tuple(forward),
                              reverse_map=tuple(backward))

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
        if rebuild:
            out.append(Check("no_triggers", t, message=f"table {t} has no triggers (the rebuild "
                                                       "drops them with the old table)"))
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
