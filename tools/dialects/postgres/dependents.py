"""PostgreSQL's statements for the dependents of a change: views and materialized views written
out in full (with their indexes, grants, comments and owner), triggers, policies and trigger
functions with a column renamed (``rewrite.py``). Everything is re-emitted from pglast's parse
tree of the schema's own statements.
"""

from __future__ import annotations

from migsmith.tools.dialects.postgres import rewrite
from migsmith.tools.planning import actions as A


class PostgresDependents:
    """Statements for dependents, PostgreSQL's way."""

    def rename_in_expression(self, expression: str | None, old: str, new: str) -> str | None:
        from migsmith.tools.dialects.recipes.sql_rewrite import rename_column_in

        return rename_column_in(expression, old, new) if expression else expression

    def view_sql(self, name: str, query: str, replace: bool = False) -> str:
        return f"CREATE {'OR REPLACE ' if replace else ''}VIEW {self.quote(name)} AS {query};"

    def view_definition(self, ctx, view, extras_of: str | None = None) -> str:
        """Every statement that makes ``view`` as the schema has it (a materialized view: its
        data as the schema had it, its indexes), then its grants, comments and owner (those
        the schema gives ``extras_of``, by default the view itself)."""
        if view.kind == "materialized_view":
            lines = [f"CREATE MATERIALIZED VIEW {self.quote(view.name)} AS {view.definition}"
                     f"{'' if view.populated else ' WITH NO DATA'};"]
            lines += [self.render_action(A.CreateIndex(idx, concurrently=False))
                      for idx in view.indexes]
        else:
            lines = [self.view_sql(view.name, view.definition)]
        return "\n".join(lines + self.view_extras(ctx.schema, extras_of or view.name, view.name))

    def view_extras(self, schema, name: str, as_name: str) -> list[str]:
        """GRANT, REVOKE, COMMENT and OWNER TO statements of the schema about relation
        ``name``, re-emitted for ``as_name``."""
        from pglast import ast, parse_sql
        from pglast.enums import AlterTableType, ObjectType
        from migsmith.tools.spec.expressions import deparse

        short, new_short = name.split(".")[-1], as_name.split(".")[-1]
        new_schema = as_name.split(".")[0] if "." in as_name else None
        out = []
        for op in schema.opaque:
            if short not in op.text or not op.kind.startswith(("GRANT", "REVOKE", "COMMENT",
                                                                "ALTER")):
                continue
            try:
                stmt = parse_sql(op.text)[0].stmt
            except Exception:  # pglast.parser.ParseError
                continue

            def same(rv) -> bool:
                full = f"{rv.schemaname}.{rv.relname}" if rv.schemaname else rv.relname
                return schema._key(full) == schema._key(name)

            def retarget(rv) -> None:
                rv.relname, rv.schemaname = new_short, new_schema

            if isinstance(stmt, ast.GrantStmt) and stmt.objtype == ObjectType.OBJECT_TABLE:
                mine = [rv for rv in stmt.objects or () if same(rv)]
                if not mine:
                    continue
                retarget(mine[0])
                stmt.objects = (mine[0],)
            elif isinstance(stmt, ast.CommentStmt) and stmt.objtype in (
                    ObjectType.OBJECT_VIEW, ObjectType.OBJECT_MATVIEW, ObjectType.OBJECT_COLUMN):
                names = [n.sval for n in stmt.object]
                rel = names[:-1] if stmt.objtype == ObjectType.OBJECT_COLUMN else names
                if schema._key(".".join(rel)) != schema._key(name):
                    continue
                rel = ([new_schema] if new_schema else []) + [new_short]
                tail = names[-1:] if stmt.objtype == ObjectType.OBJECT_COLUMN else []
                stmt.object = tuple(ast.String(sval=n) for n in rel + tail)
            elif isinstance(stmt, ast.AlterTableStmt) and same(stmt.relation) and all(
                    c.subtype == AlterTableType.AT_ChangeOwner for c in stmt.cmds):
                retarget(stmt.relation)
            else:
                continue
            out.append(deparse(stmt) + ";")
        return out

    def rename_view_query(self, schema, view, table: str, old: str, new: str) -> str:
        return rewrite.rename_in_query(schema, view.definition, table, old, new,
                                       f"view {view.name}")

    def rename_in_trigger(self, definition: str, old: str, new: str, *,
                          keep_old: bool = False) -> str:
        return rewrite.rename_in_trigger(definition, old, new, keep_old=keep_old) + ";"

    def rename_in_function(self, definition: str, old: str, new: str) -> str:
        return rewrite.rename_in_function(definition, old, new) + ";"

    def or_replace(self, definition: str) -> str:
        return rewrite.or_replace(definition) + ";"

    def policy_sql(self, text: str) -> str:
        from pglast import parse_sql
        from migsmith.tools.spec.expressions import deparse

        return deparse(parse_sql(text)[0].stmt) + ";"

    def rename_in_policy(self, schema, text: str, table: str, old: str, new: str) -> str:
        return rewrite.rename_in_policy(schema, text, table, old, new) + ";"
