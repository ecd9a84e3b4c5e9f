"""Load a Schema from PostgreSQL DDL with pglast, the real PostgreSQL parser.

Understands CREATE TABLE (column and table constraints, serial and identity columns),
CREATE [UNIQUE] INDEX, ALTER TABLE ... ADD CONSTRAINT / ADD COLUMN / ALTER COLUMN, and a
comment directive for table sizes, since a DDL file carries no row counts:

    -- migsmith: rows=2500000
    CREATE TABLE users (...);

Statements that do not shape tables (CREATE EXTENSION, COMMENT, GRANT, SET ...) are skipped.
"""

from __future__ import annotations

import re

from migsmith.tools.errors import SchemaError
from migsmith.tools.spec.expressions import pg_type_name
from migsmith.tools.schema.model import Column, Constraint, Index, Schema, Table

_ROWS = re.compile(r"--\s*migsmith:\s*rows\s*=\s*([\d_,]+)", re.IGNORECASE)
_SERIAL = {"serial": "integer", "bigserial": "bigint", "smallserial": "smallint"}


def line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def _deparse(node) -> str:
    from pglast.stream import RawStream

    return RawStream()(node)


def _relname(rangevar) -> str:
    if rangevar.schemaname and rangevar.schemaname != "public":
        return f"{rangevar.schemaname}.{rangevar.relname}"
    return rangevar.relname


def load_postgres_ddl(text: str, *, source: str | None = None) -> Schema:
    from pglast import ast, parse_sql
    from pglast.enums import AlterTableType, ConstrType
    from pglast.parser import ParseError

    try:
        stmts = parse_sql(text)
    except ParseError as exc:
        pos = exc.args[1] if len(exc.args) > 1 else None
        where = ""
        if isinstance(pos, int):
            line, col = line_col(text, max(pos - 1, 0))
            where = f"{line}:{col}: "
        raise SchemaError(f"{source or 'schema'}:{where}{exc.args[0]}") from None

    schema = Schema(dialect="postgres", source=source)
    sizes = [(m.start(), int(re.sub(r"[_,]", "", m.group(1)))) for m in _ROWS.finditer(text)]
    prev_end = 0
    for raw in stmts:
        stmt = raw.stmt
        start = raw.stmt_location or 0
        # A rows directive belongs to the first statement after it.
        rows = next((n for pos, n in sizes if prev_end <= pos < start + (raw.stmt_len or 0)), None)
        prev_end = start + (raw.stmt_len or 0)
        if isinstance(stmt, ast.CreateStmt):
            table = _create_table(stmt, ast, ConstrType)
            table.row_estimate = rows if rows is not None else table.row_estimate
            schema.tables[table.name] = table
        elif isinstance(stmt, ast.IndexStmt):
            table = schema.tables.get(_relname(stmt.relation))
            if table is None:
                raise SchemaError(f"{source or 'schema'}: index {stmt.idxname} on unknown table "
                                  f"{_relname(stmt.relation)}")
            table.indexes.append(_index(stmt, table.name, _deparse(stmt)))
        elif isinstance(stmt, ast.AlterTableStmt):
            table = schema.tables.get(_relname(stmt.relation))
            if table is None:
                continue
            for cmd in stmt.cmds:
                _alter(table, cmd, ast, AlterTableType, ConstrType)
        elif isinstance(stmt, ast.ViewStmt):
            name = _relname(stmt.view)
            schema.tables[name] = Table(name=name, kind="view")
    return schema


def _column(defn, table: str, ast, ConstrType, constraints: list[Constraint]) -> Column:
    type_name = pg_type_name(defn.typeName)
    col = Column(name=defn.colname, type=type_name)
    if type_name in _SERIAL:
        col.type = _SERIAL[type_name]
        col.nullable = False
        col.identity = True
        col.default = f"nextval('{table}_{defn.colname}_seq'::regclass)"
    for con in defn.constraints or ():
        kind = con.contype
        if kind == ConstrType.CONSTR_NOTNULL:
            col.nullable = False
        elif kind == ConstrType.CONSTR_DEFAULT:
            col.default = _deparse(con.raw_expr)
        elif kind == ConstrType.CONSTR_IDENTITY:
            col.identity, col.nullable = True, False
        elif kind == ConstrType.CONSTR_PRIMARY:
            col.nullable = False
            constraints.append(Constraint(name=con.conname or f"{table}_pkey", table=table,
                                          kind="primary_key", columns=[defn.colname],
                                          index=con.conname or f"{table}_pkey"))
        elif kind == ConstrType.CONSTR_UNIQUE:
            name = con.conname or f"{table}_{defn.colname}_key"
            constraints.append(Constraint(name=name, table=table, kind="unique",
                                          columns=[defn.colname], index=name))
        elif kind == ConstrType.CONSTR_FOREIGN:
            constraints.append(Constraint(
                name=con.conname or f"{table}_{defn.colname}_fkey", table=table,
                kind="foreign_key", columns=[defn.colname], ref_table=_relname(con.pktable),
                ref_columns=[a.sval for a in con.pk_attrs or ()], on_delete=_fk_action(con),
                validated=not con.skip_validation))
        elif kind == ConstrType.CONSTR_CHECK:
            constraints.append(Constraint(
                name=con.conname or f"{table}_{defn.colname}_check", table=table, kind="check",
                columns=[defn.colname], expression=_deparse(con.raw_expr),
                validated=not con.skip_validation))
    return col


def _fk_action(con) -> str | None:
    return {"c": "cascade", "r": "restrict", "n": "set null", "d": "set default"}.get(
        con.fk_del_action)


def _table_constraint(con, table: str, ast, ConstrType) -> Constraint | None:
    keys = [k.sval for k in con.keys or ()]
    kind = con.contype
    if kind == ConstrType.CONSTR_PRIMARY:
        name = con.conname or f"{table}_pkey"
        return Constraint(name=name, table=table, kind="primary_key", columns=keys, index=name)
    if kind == ConstrType.CONSTR_UNIQUE:
        name = con.conname or f"{table}_{'_'.join(keys)}_key"
        return Constraint(name=name, table=table, kind="unique", columns=keys, index=name)
    if kind == ConstrType.CONSTR_FOREIGN:
        cols = [a.sval for a in con.fk_attrs or ()]
        return Constraint(name=con.conname or f"{table}_{'_'.join(cols)}_fkey", table=table,
                          kind="foreign_key", columns=cols, ref_table=_relname(con.pktable),
                          ref_columns=[a.sval for a in con.pk_attrs or ()],
                          on_delete=_fk_action(con), validated=not con.skip_validation)
    if kind == ConstrType.CONSTR_CHECK:
        return Constraint(name=con.conname or f"{table}_check", table=table, kind="check",
                          expression=_deparse(con.raw_expr), validated=not con.skip_validation)
    if kind == ConstrType.CONSTR_EXCLUSION:
        return Constraint(name=con.conname or f"{table}_excl", table=table, kind="exclusion")
    return None


def _create_table(stmt, ast, ConstrType) -> Table:
    name = _relname(stmt.relation)
    table = Table(name=name)
    constraints: list[Constraint] = []
    for elt in stmt.tableElts or ():
        if isinstance(elt, ast.ColumnDef):
            table.columns.append(_column(elt, name, ast, ConstrType, constraints))
        elif isinstance(elt, ast.Constraint):
            con = _table_constraint(elt, name, ast, ConstrType)
            if con:
                constraints.append(con)
    for con in constraints:
        table.add_constraint(con)
    return table


def _index(stmt, table: str, definition: str) -> Index:
    cols = []
    for param in stmt.indexParams:
        cols.append(param.name if param.name else _deparse(param.expr))
    name = stmt.idxname or f"{table}_{'_'.join(c for c in cols if c.isidentifier())}_idx"
    return Index(name=name, table=table, columns=cols, unique=bool(stmt.unique),
                 where=_deparse(stmt.whereClause) if stmt.whereClause else None,
                 method=stmt.accessMethod if stmt.accessMethod != "btree" else None,
                 definition=definition)


def _alter(table: Table, cmd, ast, AlterTableType, ConstrType) -> None:
    sub = cmd.subtype
    if sub == AlterTableType.AT_AddConstraint:
        con = _table_constraint(cmd.def_, table.name, ast, ConstrType)
        if con:
            table.add_constraint(con)
    elif sub == AlterTableType.AT_AddColumn:
        extra: list[Constraint] = []
        table.columns.append(_column(cmd.def_, table.name, ast, ConstrType, extra))
        for con in extra:
            table.add_constraint(con)
    elif sub == AlterTableType.AT_SetNotNull:
        table.column(cmd.name).nullable = False
    elif sub == AlterTableType.AT_DropNotNull:
        table.column(cmd.name).nullable = True
    elif sub == AlterTableType.AT_ColumnDefault:
        table.column(cmd.name).default = _deparse(cmd.def_) if cmd.def_ else None
