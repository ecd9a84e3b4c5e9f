"""Rewriting PostgreSQL expressions through pglast's parse tree (never by string replacement)."""

from __future__ import annotations

from migsmith.tools.dialects.base import Dialect


def qualify(expression: str, column: str, dialect: Dialect) -> str:
    """Rewrite references to ``column`` as NEW.column, for use inside a row trigger."""
    from migsmith.tools.spec.expressions import _walk
    from pglast import ast, parse_sql
    from migsmith.tools.spec.expressions import deparse

    select = parse_sql(f"SELECT ({expression})")[0].stmt
    for node in _walk(select.targetList[0].val):
        if isinstance(node, ast.ColumnRef) and len(node.fields) == 1:
            field = node.fields[0]
            if isinstance(field, ast.String) and field.sval == column:
                node.fields = (ast.String(sval="new"), field)
    return deparse(select.targetList[0].val).replace("new.", "NEW.")


def rename_column_in(expression: str, old: str, new: str) -> str:
    """The expression with column ``old`` replaced by ``new`` (through the parse tree)."""
    from migsmith.tools.spec.expressions import _walk
    from pglast import ast, parse_sql
    from migsmith.tools.spec.expressions import deparse

    select = parse_sql(f"SELECT ({expression})")[0].stmt
    for node in _walk(select.targetList[0].val):
        if isinstance(node, ast.ColumnRef) and isinstance(node.fields[-1], ast.String) \
                and node.fields[-1].sval == old:
            node.fields = (*node.fields[:-1], ast.String(sval=new))
    return deparse(select.targetList[0].val)
