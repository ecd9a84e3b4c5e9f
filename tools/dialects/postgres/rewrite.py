"""Following a column rename into the statements that name it: view queries, trigger and
policy definitions, trigger function bodies.

Everything goes through pglast's parse tree and comes back out of its deparser; a trigger
function's body (PL/pgSQL, which pglast does not deparse) is rewritten token by token on
PostgreSQL's own scanner. A reference is renamed only when it resolves to the renamed table:
queries are read scope by scope (FROM items, aliases, CTEs, subqueries, correlated outer
references), and anything that cannot be resolved with certainty (``*`` over the table,
NATURAL joins, USING on the column, an unqualified name another relation of unknown shape may
own) is refused with the reason, never guessed.
"""

from __future__ import annotations

from migsmith.tools.errors import SpecError
from migsmith.tools.schema.model import Schema
from migsmith.tools.spec.identifiers import quote_ident

_EXPRESSION_FIELDS = ("targetList", "whereClause", "groupClause", "havingClause",
                      "sortClause", "windowClause", "distinctClause", "limitOffset",
                      "limitCount", "valuesLists")


class _Unsure(Exception):
    """A reference migsmith cannot resolve with certainty."""


class QueryRenamer:
    """Rename ``table.old`` to ``new`` in one parsed query, keeping output column names."""

    def __init__(self, schema: Schema, table: str, old: str, new: str):
        self.schema, self.old, self.new = schema, old, new
        self.table = schema._key(table)
        self.renamed: set[int] = set()  # ids of the ColumnRef nodes renamed

    # scopes: a list (innermost first) of lists of (alias, relation key or None for a
    # subquery, function or CTE whose columns are not known here)
    def select(self, node, outer: list, ctes: frozenset[str] = frozenset()) -> None:
        from pglast import ast

        if node is None:
            return
        if not isinstance(node, ast.SelectStmt):
            self.expression(node, outer, ctes)
            return
        if node.withClause is not None:
            for cte in node.withClause.ctes or ():
                ctes = ctes | {cte.ctename}
                self.select(cte.ctequery, outer, ctes)
        if node.larg is not None or node.rarg is not None:
            self.select(node.larg, outer, ctes)
            self.select(node.rarg, outer, ctes)
            self.expression(node.sortClause, outer, ctes)
            return
        scope: list = []
        pending: list = []
        for item in node.fromClause or ():
            self.from_item(item, scope, outer, ctes, pending)
        scopes = [scope] + outer
        for quals in pending:
            self.expression(quals, scopes, ctes)
        for name in _EXPRESSION_FIELDS:
            self.expression(getattr(node, name), scopes, ctes)
        for target in node.targetList or ():
            # a renamed bare column keeps its output name, as a plain RENAME COLUMN would
            if isinstance(target, ast.ResTarget) and target.name is None and \
                    id(target.val) in self.renamed:
                target.name = self.old

    def from_item(self, item, scope: list, outer: list, ctes, pending: list) -> None:
        from pglast import ast

        if isinstance(item, ast.RangeVar):
            rel = None
            if item.schemaname or item.relname not in ctes:
                name = f"{item.schemaname}.{item.relname}" if item.schemaname else item.relname
                rel = self.schema._key(name) if self.schema.has_table(name) else None
            scope.append((item.alias.aliasname if item.alias else item.relname, rel))
        elif isinstance(item, ast.JoinExpr):
            before = len(scope)
            self.from_item(item.larg, scope, outer, ctes, pending)
            self.from_item(item.rarg, scope, outer, ctes, pending)
            joined = [rel for _, rel in scope[before:]]
            using = [u.sval for u in item.usingClause or ()]
            if self.table in joined and (item.isNatural or self.old in using):
                raise _Unsure("a NATURAL join or USING names the column")
            if item.quals is not None:
                pending.append(item.quals)
            if item.alias is not None:  # a join alias hides the names inside it
                del scope[before:]
                scope.append((item.alias.aliasname, None))
        elif isinstance(item, ast.RangeSubselect):
            self.select(item.subquery, [scope] + outer if item.lateral else outer, ctes)
            scope.append((item.alias.aliasname if item.alias else None, None))
        else:  # RangeFunction, RangeTableFunc ...: read with the scope so far (LATERAL)
            self.expression(item, [scope] + outer, ctes)
            alias = getattr(item, "alias", None)
            scope.append((alias.aliasname if alias else None, None))

    def expression(self, node, scopes: list, ctes) -> None:
        from pglast import ast

        if node is None:
            return
        if isinstance(node, (list, tuple)):
            for item in node:
                self.expression(item, scopes, ctes)
            return
        if isinstance(node, ast.SelectStmt):
            self.select(node, scopes, ctes)
            return
        if isinstance(node, ast.ColumnRef):
            self.column_ref(node, scopes)
            return
        if isinstance(node, ast.Node):
            for attr in node:
                self.expression(getattr(node, attr), scopes, ctes)

    def column_ref(self, ref, scopes: list) -> None:
        from pglast import ast

        fields = list(ref.fields)
        star = isinstance(fields[-1], ast.A_Star)
        names = [f.sval for f in fields if isinstance(f, ast.String)]
        if len(fields) == 1:
            for scope in scopes:
                if star:
                    if any(rel == self.table for _, rel in scope):
                        raise _Unsure("the query reads * from the table")
                    return
                owners = [rel for _, rel in scope
                          if rel is None or self.schema.table(rel).has_column(names[0])]
                if not owners:
                    continue
                if self.table in owners and names[0] == self.old:
                    if len(owners) > 1:
                        raise _Unsure(f"{names[0]} may belong to another relation of the query")
                    self._rename(ref)
                return
            return
        qualifier = names[-1] if star else names[-2]
        for scope in scopes:
            match = [rel for alias, rel in scope if alias == qualifier]
            if match:
                if match[0] == self.table and star:
                    raise _Unsure(f"the query reads {qualifier}.* from the table")
                if match[0] == self.table and names[-1] == self.old:
                    self._rename(ref)
                return

    def _rename(self, ref) -> None:
        from pglast import ast

        ref.fields = (*ref.fields[:-1], ast.String(sval=self.new))
        self.renamed.add(id(ref))


def rename_in_query(schema: Schema, query: str, table: str, old: str, new: str,
                    what: str) -> str:
    """The view query ``query`` reading ``new`` where it read ``table.old``, with the same
    output columns; SpecError when a reference cannot be resolved with certainty."""
    from pglast import parse_sql
    from migsmith.tools.spec.expressions import deparse

    stmt = parse_sql(query)[0].stmt
    renamer = QueryRenamer(schema, table, old, new)
    try:
        renamer.select(stmt, [])
    except _Unsure as exc:
        raise SpecError(f"{what} reads {table}.{old} in a way migsmith cannot rewrite "
                        f"with certainty ({exc})",
                        hint=f"write the view's query with explicit columns, or re-create "
                             f"{what} by hand in the plan's switch step") from None
    return deparse(stmt)


def rename_in_trigger(definition: str, old: str, new: str, *, keep_old: bool = False) -> str:
    """A CREATE TRIGGER statement with ``old`` renamed in UPDATE OF (or, with ``keep_old``,
    ``new`` added beside it) and in NEW./OLD. references of its WHEN condition (unless
    ``keep_old``)."""
    from pglast import ast, parse_sql
    from migsmith.tools.spec.expressions import deparse

    stmt = parse_sql(definition)[0].stmt
    cols = [c.sval for c in stmt.columns or ()]
    if old in cols:
        cols = cols + [new] if keep_old else [new if c == old else c for c in cols]
        stmt.columns = tuple(ast.String(sval=c) for c in cols)
    if stmt.whenClause is not None and not keep_old:
        renamer = QueryRenamer(Schema(), "", old, new)
        _rename_row_refs(stmt.whenClause, old, new, renamer)
    return deparse(stmt)


def _rename_row_refs(node, old: str, new: str, renamer: QueryRenamer) -> None:
    from pglast import ast

    from migsmith.tools.spec.expressions import _walk

    for ref in _walk(node):
        if isinstance(ref, ast.ColumnRef) and len(ref.fields) == 2 and all(
                isinstance(f, ast.String) for f in ref.fields) and \
                ref.fields[0].sval.lower() in ("new", "old") and ref.fields[1].sval == old:
            renamer._rename(ref)


def rename_in_policy(schema: Schema, definition: str, table: str, old: str, new: str) -> str:
    """A CREATE POLICY statement whose USING and WITH CHECK read ``new`` for ``old``."""
    from pglast import parse_sql
    from migsmith.tools.spec.expressions import deparse

    stmt = parse_sql(definition)[0].stmt
    renamer = QueryRenamer(schema, table, old, new)
    scope = [[(table.split(".")[-1], schema._key(table))]]
    try:
        renamer.expression(stmt.qual, scope, frozenset())
        renamer.expression(stmt.with_check, scope, frozenset())
    except _Unsure as exc:
        raise SpecError(f"policy {stmt.policy_name} reads {table}.{old} in a way migsmith "
                        f"cannot rewrite with certainty ({exc})",
                        hint="re-create the policy by hand in the plan's switch step") from None
    return deparse(stmt)


def rename_in_function(definition: str, old: str, new: str) -> str:
    """A CREATE OR REPLACE FUNCTION statement whose body reads NEW.new / OLD.new where it read
    NEW.old / OLD.old (the body scanned by PostgreSQL's own lexer)."""
    from pglast import ast, parse_sql
    from migsmith.tools.spec.expressions import deparse

    from migsmith.tools.planning.dependents import row_references

    stmt = parse_sql(definition)[0].stmt
    for opt in stmt.options or ():
        if opt.defname != "as":
            continue
        parts = opt.arg if isinstance(opt.arg, tuple) else (opt.arg,)
        body = parts[0].sval
        for start, end in sorted(row_references(body, old, "postgres"), reverse=True):
            body = body[:start] + quote_ident(new) + body[end:]
        opt.arg = (ast.String(sval=body), *parts[1:])
    stmt.replace = True
    return deparse(stmt)


def or_replace(definition: str) -> str:
    """The same CREATE FUNCTION statement as CREATE OR REPLACE FUNCTION."""
    from pglast import parse_sql
    from migsmith.tools.spec.expressions import deparse

    stmt = parse_sql(definition)[0].stmt
    stmt.replace = True
    return deparse(stmt)
