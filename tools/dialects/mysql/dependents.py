"""MySQL/MariaDB's statements for the dependents of a change.

A MySQL view names its columns and is resolved when it is queried: a rename leaves it
pointing at a column that is gone (ERROR 1356 once the old column is dropped), while a type
change needs nothing (it reads the new type at once). So a rename re-creates each view that
reads the column with ``CREATE OR REPLACE VIEW``, its query read by sqlglot with every column
resolved to its table, the renamed ones rewritten, and its output columns named as before.
Trigger bodies that read ``NEW.<column>`` are not rewritten (MySQL has no atomic way to
replace a trigger): such a rename is refused with the steps to take by hand.
"""

from __future__ import annotations

from migsmith.tools.dialects.sqlglot_views import rename_in_view_query
from migsmith.tools.errors import SpecError


class MySQLDependents:
    """Statements for dependents, MySQL's way."""

    def view_sql(self, name: str, query: str, replace: bool = False) -> str:
        return f"CREATE {'OR REPLACE ' if replace else ''}VIEW {self.quote(name)} AS {query};"

    def view_definition(self, ctx, view, extras_of: str | None = None) -> str:
        return self.view_sql(view.name, view.definition)

    def rename_view_query(self, schema, view, table: str, old: str, new: str) -> str:
        return rename_in_view_query(schema, view.definition, table, old, new, "mysql",
                                    f"view {view.name}")

    def _refuse_dependents(self, op, ctx, uses, purpose: str) -> None:
        for use in uses:
            if use.kind == "trigger" and "body" in use.parts:
                raise SpecError(
                    f"trigger {use.name} on {op.table} reads NEW/OLD.{op.column} in its body; "
                    f"MySQL cannot replace a trigger atomically, so {purpose} would leave it "
                    "broken once the old column is dropped",
                    hint=f"re-create {use.name} reading the new column by hand right after the "
                         "contract step (DROP TRIGGER and CREATE TRIGGER in a quiet moment), or "
                         "set options.downtime_allowed=true and do the same in the window")
        super()._refuse_dependents(op, ctx, uses, purpose)

    def simple_rename_column(self, op, ctx):
        """A plain RENAME COLUMN between dropping the views that read the column and
        re-creating them on the new name (MySQL checks a view's columns when it is created,
        so the down must rename back before it re-creates them)."""
        from migsmith.tools.planning import actions as A

        plain = [A.RenameColumn(op.table, op.column, op.new_name)]
        if op.table in ctx.new_tables:
            return plain
        views = self._plain_rename_dependents(op, ctx)
        return [A.DropObject(v.kind, v.table, v.name, v.previous) for v in reversed(views)] \
            + plain + [A.DefineObject(v.kind, v.table, v.name, v.definition) for v in views]

    def _plain_rename_dependents(self, op, ctx) -> list:
        """The views to re-create on the new name (as ReplaceObject: new and old text)."""
        from migsmith.tools.planning import actions as A
        from migsmith.tools.planning.dependents import column_uses

        uses = column_uses(ctx.schema, op.table, op.column)
        self._refuse_dependents(op, ctx, [u for u in uses if u.kind == "trigger"], "a rename")
        out = []
        for use in uses:
            if use.kind == "view" and "query" in use.parts:
                query = self.rename_view_query(ctx.schema, use.obj, op.table, op.column,
                                               op.new_name)
                out.append(A.ReplaceObject("view", use.name, use.name,
                                           self.view_sql(use.name, query),
                                           self.view_sql(use.name, use.obj.definition)))
                ctx.depend("view", use.name, f"{op.table}.{op.column}", "dropped before the "
                           f"rename and re-created reading {op.new_name} right after it")
            else:
                ctx.depend(use.kind, use.name, f"{op.table}.{op.column}", "follows the rename")
        return out
