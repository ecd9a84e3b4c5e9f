"""What in a schema reads a column or a table: the dependents a change has to plan for.

A rename or a type change is more than its table: views and materialized views read the
column, triggers name it (UPDATE OF, WHEN, the body of the function they run), generated
columns compute from it, indexes key on it (plainly, in an expression, in INCLUDE or in their
predicate), checks and foreign keys constrain it, other tables' foreign keys point at it,
policies and rules filter on it, and a partitioned table hands all of it down to its
partitions. ``column_uses`` finds each one in the schema model; the recipes decide what to do
with them (``dialects/recipes/dependents.py``), and PLAN.md lists both.

Pure: reads the model only. Column references inside expressions are found through the
database's own parser (pglast for PostgreSQL, sqlglot for MySQL and SQLite), never by
matching text, except in trigger bodies, which are scanned token by token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from migsmith.tools.errors import SpecError
from migsmith.tools.schema.model import Function, Schema, Table, Trigger


@dataclass(frozen=True)
class Use:
    """One object that reads the column (or the table)."""

    kind: str  # as plan.Dependent.kind
    name: str
    table: str  # the table it belongs to (a view: its own name)
    parts: tuple[str, ...]  # where it reads the column: "key", "WHERE", "UPDATE OF", "body" ...
    obj: object = field(compare=False, default=None)  # the model object

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.table}:{self.name}"


# ----------------------------------------------------------------------------- expressions
def expression_columns(expression: str | None, dialect: str) -> set[str]:
    """Lower-cased names of the columns an SQL expression refers to (the last part of each
    reference: ``t.c`` and ``NEW.c`` give ``c``)."""
    if not expression:
        return set()
    if dialect == "postgres":
        try:
            from migsmith.tools.spec.expressions import column_refs

            return {c.lower() for c in column_refs(expression)}
        except Exception:  # pglast.parser.ParseError: a fragment pglast cannot read
            return _words(expression)
    try:
        import sqlglot
        from sqlglot import exp

        tree = sqlglot.parse_one(f"SELECT {expression}", read=dialect)
        return {c.name.lower() for c in tree.find_all(exp.Column)}
    except Exception:  # sqlglot.errors.ParseError and friends
        return _words(expression)


def _words(text: str) -> set[str]:
    """Fallback: the identifiers of ``text`` outside string literals."""
    code = re.sub(r"'(?:[^']|'')*'", "''", text)
    return {w.strip('"`').lower() for w in re.findall(r'"[^"]+"|`[^`]+`|[A-Za-z_][\w$]*', code)}


def row_references(body: str | None, column: str, dialect: str) -> list[tuple[int, int]]:
    """(start, end) spans of ``NEW.<column>`` / ``OLD.<column>``'s column part in a trigger
    body, found by the PostgreSQL scanner (PL/pgSQL is lexed by it) or, for MySQL and SQLite
    bodies, a scan that skips strings and comments."""
    if not body:
        return []
    want = column.lower()
    spans = []
    if dialect == "postgres":
        from pglast.parser import scan

        try:
            tokens = scan(body)
        except Exception:  # pglast.parser.ParseError: unscannable (not SQL-like) body
            return []
        for a, dot, c in zip(tokens, tokens[1:], tokens[2:]):
            if body[a.start:a.end + 1].lower() in ("new", "old") and body[dot.start] == "." \
                    and dot.end == dot.start and _ident(body[c.start:c.end + 1]) == want:
                spans.append((c.start, c.end + 1))
        return spans
    code = re.sub(r"--[^\n]*|/\*.*?\*/|'(?:[^'\\]|\\.|'')*'", lambda m: " " * len(m.group()),
                  body, flags=re.S)
    for m in re.finditer(r"\b(?:new|old)\s*\.\s*(`[^`]+`|\"[^\"]+\"|[\w$]+)", code, re.I):
        if _ident(m.group(1)) == want:
            spans.append(m.span(1))
    return spans


def _ident(text: str) -> str:
    if len(text) > 1 and text[0] == text[-1] and text[0] in '"`':
        return text[1:-1]
    return text.lower()


def trigger_function(schema: Schema, trigger: Trigger) -> Function | None:
    """The function a PostgreSQL trigger executes (trigger functions take no arguments)."""
    if not trigger.function:
        return None
    name = trigger.function.removeprefix("public.")
    return (schema.functions.get(f"{name}()")
            or next((f for f in schema.functions.values()
                     if f.name.removeprefix("public.") == name), None))


def function_users(schema: Schema, function: Function) -> list[Trigger]:
    """Every trigger, on any table, that executes ``function``."""
    return [tg for t in schema.tables.values() for tg in t.triggers
            if trigger_function(schema, tg) is function]


# ----------------------------------------------------------------------------- finding
def column_uses(schema: Schema, table_name: str, column: str) -> list[Use]:
    """Everything that reads ``table_name.column``, in a stable order: views first (in the
    order they can be created), then what lives on the table, then other tables' keys."""
    d = schema.dialect
    table = schema.table(table_name)
    col = column.lower()
    out: list[Use] = []
    direct = {v.name for v in schema.views_using(table.name, column)}
    for view in views_in_order(schema, schema.views_using(table.name, column)):
        reads = ("query",) if view.name in direct else tuple(
            f"view {schema._key(u.table)}" for u in view.depends_on
            if schema.has_table(u.table) and schema.table(u.table).is_view)
        out.append(Use(view.kind, view.name, view.name, reads, view))
    for other in table.columns:
        if other.generated and col in expression_columns(other.generated, d):
            out.append(Use("generated_column", other.name, table.name, ("expression",), other))
    for tg in table.triggers:
        parts = []
        if col in (c.lower() for c in tg.columns):
            parts.append("UPDATE OF")
        if col in expression_columns(tg.when, d):
            parts.append("WHEN")
        fn = trigger_function(schema, tg) if d == "postgres" else None
        body = fn.body if fn is not None else tg.body
        if row_references(body, column, d):
            parts.append(f"function {fn.name}" if fn is not None else "body")
        if parts:
            out.append(Use("trigger", tg.name, table.name, tuple(parts), tg))
    for idx in table.indexes:
        parts = index_parts(idx, column, d)
        if parts and not idx.primary:
            out.append(Use("index", idx.name, table.name, tuple(parts), idx))
    for con in table.constraints:
        if con.kind == "check" and (col in (c.lower() for c in con.columns)
                                    or col in expression_columns(con.expression, d)):
            out.append(Use("check", con.name, table.name, ("expression",), con))
        elif con.kind == "foreign_key" and col in (c.lower() for c in con.columns):
            out.append(Use("foreign_key", con.name, table.name, ("columns",), con))
    for con in schema.referencing(table.name, column):
        out.append(Use("referencing_foreign_key", con.name, con.table, ("references",), con))
    out += _opaque_uses(schema, table, column)
    return out


def index_parts(idx, column: str, dialect: str) -> list[str]:
    """Where an index reads ``column``: as a key, inside a key expression, in INCLUDE, in its
    predicate (WHERE)."""
    col = column.lower()
    parts = []
    keys = idx.keys or []
    if keys:
        if any((k.column or "").lower() == col for k in keys):
            parts.append("key")
        if any(k.expression and col in expression_columns(k.expression, dialect) for k in keys):
            parts.append("expression")
    else:
        if any(c.lower() == col for c in idx.columns):
            parts.append("key")
        elif any(col in expression_columns(c, dialect) for c in idx.columns
                 if not re.fullmatch(r"[\w$]+", c)):
            parts.append("expression")
    if any(c.lower() == col for c in idx.include):
        parts.append("INCLUDE")
    if col in expression_columns(idx.where, dialect):
        parts.append("WHERE")
    return parts


def _opaque_uses(schema: Schema, table: Table, column: str) -> list[Use]:
    """Policies and rules (kept as opaque DDL) on ``table`` that read ``column``."""
    if schema.dialect != "postgres":
        return []
    out = []
    for stmt in schema.opaque:
        if stmt.kind not in ("CREATE POLICY", "CREATE RULE", "CREATE OR"):
            continue
        parsed = parse_policy_or_rule(stmt.text)
        if parsed is None or schema._key(parsed["table"]) != table.name:
            continue
        refs = set().union(*(expression_columns(e, "postgres") for e in parsed["expressions"]))
        if parsed["kind"] == "rule":
            refs |= set(parsed["columns"])
        if column.lower() in refs:
            out.append(Use(parsed["kind"], parsed["name"], table.name,
                           tuple(parsed["parts"]), stmt))
    return out


def parse_policy_or_rule(text: str) -> dict | None:
    """The table, name and expressions of a CREATE POLICY / CREATE RULE statement (None for
    anything else)."""
    from pglast import ast, parse_sql
    from migsmith.tools.spec.expressions import deparse

    try:
        stmt = parse_sql(text)[0].stmt
    except Exception:  # pglast.parser.ParseError
        return None
    from migsmith.tools.spec.expressions import _walk

    rel = lambda rv: f"{rv.schemaname}.{rv.relname}" if rv.schemaname else rv.relname  # noqa: E731
    if isinstance(stmt, ast.CreatePolicyStmt):
        exprs, parts = [], []
        for label, node in (("USING", stmt.qual), ("WITH CHECK", stmt.with_check)):
            if node is not None:
                exprs.append(deparse(node))
                parts.append(label)
        return {"kind": "policy", "name": stmt.policy_name, "table": rel(stmt.table),
                "expressions": exprs, "parts": parts, "columns": []}
    if isinstance(stmt, ast.RuleStmt):
        cols = [n.fields[-1].sval.lower() for n in _walk(stmt)
                if isinstance(n, ast.ColumnRef) and isinstance(n.fields[-1], ast.String)]
        return {"kind": "rule", "name": stmt.rulename, "table": rel(stmt.relation),
                "expressions": [], "parts": ["rule"], "columns": cols}
    return None


def views_in_order(schema: Schema, views: list[Table]) -> list[Table]:
    """``views`` and every view that reads one of them, each after the views it reads (the
    order to create them in; drop them in reverse)."""
    found: dict[str, Table] = {}
    queue = list(views)
    while queue:
        view = queue.pop(0)
        if view.name in found:
            continue
        found[view.name] = view
        queue += schema.views_using(view.name)
    ordered: list[str] = []

    def visit(name: str, trail: tuple[str, ...] = ()) -> None:
        if name in ordered or name in trail:
            return
        for use in found[name].depends_on:
            key = schema._key(use.table)
            if key in found:
                visit(key, trail + (name,))
        ordered.append(name)

    for name in found:
        visit(name)
    return [found[n] for n in ordered]


def table_partitions(schema: Schema, table_name: str) -> list[Table]:
    """The leaf partitions of a partitioned table, depth first (empty for a plain table)."""
    return [p for p in schema.descendants(table_name) if not p.partitioning]


def refuse_breaking_drop(op, ctx) -> None:
    """Refuse a drop that would break what reads the column (PostgreSQL and SQLite refuse it
    too, MySQL leaves it broken); name what goes with the column."""
    on = f"{op.table}.{op.column}"
    for use in column_uses(ctx.schema, op.table, op.column):
        what = f"{use.kind.replace('_', ' ')} {use.name}"
        if use.kind in ("view", "materialized_view") and "query" in use.parts or use.kind in (
                "generated_column", "policy", "rule", "trigger", "referencing_foreign_key"):
            raise SpecError(f"{what} reads {on}: dropping the column would break it",
                            hint=f"first change or drop {use.name} so it no longer reads "
                                 f"{op.column} (a view: DROP VIEW and CREATE VIEW without "
                                 "it; a trigger: DROP TRIGGER and CREATE TRIGGER without "
                                 "it), then plan the drop")
        if use.kind in ("index", "check", "foreign_key"):
            ctx.depend(use.kind, use.name, on, "dropped with the column (an index first)")
