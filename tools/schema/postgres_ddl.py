"""Load a Schema from PostgreSQL DDL with pglast, the real PostgreSQL parser.

Understands CREATE TABLE (column and table constraints, serial, identity and generated
columns, PARTITION BY / PARTITION OF / INHERITS / LIKE), CREATE [UNIQUE] INDEX with every
key feature, ALTER TABLE ... ADD CONSTRAINT / ADD COLUMN / ALTER COLUMN / ATTACH PARTITION,
views and materialized views (with the columns they read), triggers, functions, enums,
domains, composite and range types, sequences and extensions -- what pg_dump writes -- and a
comment directive for table sizes, since a DDL file carries no row counts:

    -- migsmith: rows=2500000
    CREATE TABLE users (...);

Every other statement (COMMENT, GRANT, SET, policies, rules ...) is kept as opaque DDL
(``Schema.opaque``); what the file leaves open (a partition of a parent defined elsewhere, an
index on a relation the file never creates) is listed in ``Schema.unresolved`` instead of
failing: the shadow database runs the file itself and its catalog settles those.
"""

from __future__ import annotations

import re

from migsmith.tools.errors import SchemaError
from migsmith.tools.spec.expressions import pg_type_name
from migsmith.tools.schema.model import (Column, ColumnUse, Constraint, Extension, Function,
                                         Index, IndexKey, OpaqueStatement, Partitioning, Schema,
                                         Sequence, Table, Trigger, UserType)

_ROWS = re.compile(r"--\s*migsmith:\s*rows\s*=\s*([\d_,]+)", re.IGNORECASE)
# pg_dump's header names the server the schema was dumped from: the plan's default target
_DUMPED_FROM = re.compile(r"^-- Dumped from database version (\d+(?:\.\d+)?)", re.MULTILINE)
_SERIAL = {"serial": "integer", "bigserial": "bigint", "smallserial": "smallint"}


def line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def _deparse(node) -> str:
    from migsmith.tools.spec.expressions import deparse

    return deparse(node)


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
    dumped = _DUMPED_FROM.search(text, 0, 4096)
    schema.server_version = dumped.group(1) if dumped else None
    sizes = [(m.start(), int(re.sub(r"[_,]", "", m.group(1)))) for m in _ROWS.finditer(text)]
    prev_end = 0
    for raw in stmts:
        stmt = raw.stmt
        start = raw.stmt_location or 0
        # A rows directive belongs to the first statement after it.
        rows = next((n for pos, n in sizes if prev_end <= pos < start + (raw.stmt_len or 0)), None)
        prev_end = start + (raw.stmt_len or 0)
        if not _model_statement(schema, stmt, rows, ast, ConstrType, AlterTableType):
            schema.opaque.append(_opaque(text, raw))
    return schema


def _opaque(text: str, raw) -> OpaqueStatement:
    start = raw.stmt_location or 0
    body = (text[start: start + raw.stmt_len] if raw.stmt_len else text[start:]).strip()
    line = text.count("\n", 0, text.find(body[:1], start) if body else start) + 1
    words = re.findall(r"[A-Za-z_]+", re.sub(r"--[^\n]*|/\*.*?\*/", " ", body, flags=re.S))
    return OpaqueStatement(line=line, kind=" ".join(words[:2]).upper(), text=body)


def _model_statement(schema: Schema, stmt, rows, ast, ConstrType, AlterTableType) -> bool:
    """Record ``stmt`` in ``schema``; False when it is not modelled (kept as opaque DDL)."""
    if isinstance(stmt, ast.CreateStmt):
        table = _create_table(stmt, ast, ConstrType, schema)
        table.row_estimate = rows if rows is not None else table.row_estimate
        schema.tables[table.name] = table
    elif isinstance(stmt, ast.IndexStmt):
        table = schema.tables.get(_relname(stmt.relation))
        if table is None:
            schema.unresolved.append(f"index {stmt.idxname} is on {_relname(stmt.relation)}, "
                                     "which the file does not create")
            return False
        table.indexes.append(_index(stmt, table.name, _deparse(stmt)))
    elif isinstance(stmt, ast.AlterTableStmt):
        table = schema.tables.get(_relname(stmt.relation))
        if table is None:
            return False
        for cmd in stmt.cmds:
            if not _alter(schema, table, cmd, ast, AlterTableType, ConstrType):
                return False
    elif isinstance(stmt, ast.ViewStmt):
        name = _relname(stmt.view)
        schema.tables[name] = _view(schema, name, "view", stmt.query, ast)
    elif isinstance(stmt, ast.CreateTableAsStmt) and _is_matview(stmt):
        name = _relname(stmt.into.rel)
        schema.tables[name] = _view(schema, name, "materialized_view", stmt.query, ast)
        schema.tables[name].populated = not stmt.into.skipData
    elif isinstance(stmt, ast.RefreshMatViewStmt) and not stmt.skipData:
        view = schema.tables.get(_relname(stmt.relation))
        if view is None:
            return False
        view.populated = True
        return False  # kept as written too: the file runs it
    elif isinstance(stmt, ast.CreateTrigStmt):
        table = schema.tables.get(_relname(stmt.relation))
        if table is None:
            return False
        table.triggers.append(_trigger(stmt, table.name))
    elif isinstance(stmt, ast.CreateFunctionStmt):
        fn = _function(stmt)
        schema.functions[fn.signature] = fn
    elif isinstance(stmt, ast.CreateEnumStmt):
        name = _dotted(stmt.typeName)
        schema.types[name] = UserType(name=name, kind="enum",
                                      labels=[v.sval for v in stmt.vals or ()])
    elif isinstance(stmt, ast.AlterEnumStmt) and stmt.newVal and not stmt.oldVal:
        t = schema.types.get(_dotted(stmt.typeName))
        if t is None:
            return False
        t.labels.append(stmt.newVal)
    elif isinstance(stmt, ast.CreateDomainStmt):
        name = _dotted(stmt.domainname)
        dom = UserType(name=name, kind="domain", base_type=pg_type_name(stmt.typeName))
        for con in stmt.constraints or ():
            if con.contype == ConstrType.CONSTR_CHECK:
                dom.checks.append(_deparse(con.raw_expr))
            elif con.contype == ConstrType.CONSTR_NOTNULL:
                dom.not_null = True
            elif con.contype == ConstrType.CONSTR_DEFAULT:
                dom.default = _deparse(con.raw_expr)
        schema.types[name] = dom
    elif isinstance(stmt, ast.CompositeTypeStmt):
        name = _relname(stmt.typevar)
        schema.types[name] = UserType(name=name, kind="composite")
    elif isinstance(stmt, ast.CreateRangeStmt):
        name = _dotted(stmt.typeName)
        subtype = next((pg_type_name(o.arg) for o in stmt.params or ()
                        if o.defname == "subtype"), None)
        schema.types[name] = UserType(name=name, kind="range", base_type=subtype)
    elif isinstance(stmt, ast.CreateSeqStmt):
        name = _relname(stmt.sequence)
        seq = Sequence(name=name)
        for opt in stmt.options or ():
            if opt.defname == "as":
                seq.type = pg_type_name(opt.arg)
            elif opt.defname == "owned_by":
                seq.owned_by = _owned_by(opt.arg)
        schema.sequences[name] = seq
    elif isinstance(stmt, ast.AlterSeqStmt):
        seq = schema.sequences.get(_relname(stmt.sequence))
        owned = next((o for o in stmt.options or () if o.defname == "owned_by"), None)
        if seq is None or owned is None:
            return False
        seq.owned_by = _owned_by(owned.arg)
    elif isinstance(stmt, ast.CreateExtensionStmt):
        ext = Extension(name=stmt.extname)
        for opt in stmt.options or ():
            if opt.defname == "schema":
                ext.schema_name = opt.arg.sval
            elif opt.defname == "new_version":
                ext.version = getattr(opt.arg, "sval", None)
        schema.extensions[ext.name] = ext
    else:
        return False
    return True


def _dotted(names) -> str:
    parts = [n.sval for n in names or ()]
    if len(parts) > 1 and parts[0] in ("public", "pg_catalog"):
        parts = parts[1:]
    return ".".join(parts)


def _owned_by(arg) -> str | None:
    parts = [n.sval for n in arg or ()]
    if parts == ["none"]:
        return None
    if len(parts) > 2 and parts[0] == "public":
        parts = parts[1:]
    return ".".join(parts)


def _is_matview(stmt) -> bool:
    from pglast.enums import ObjectType

    return stmt.objtype == ObjectType.OBJECT_MATVIEW


def _view(schema: Schema, name: str, kind: str, query, ast) -> Table:
    return Table(name=name, kind=kind, definition=_deparse(query),
                 depends_on=view_dependencies(schema, query, ast))


def view_dependencies(schema: Schema, query, ast) -> list[ColumnUse]:
    """The table columns a query reads: a qualified reference through its alias, an
    unqualified one in whichever relation of the query has the column, ``*`` as the whole
    relation. Names that are not relations of the schema (CTEs, subqueries) are left out."""
    from migsmith.tools.spec.expressions import _walk

    relations: dict[str, str] = {}  # alias or name -> relation name
    refs: list[tuple] = []
    for node in _walk(query):
        if isinstance(node, ast.RangeVar):
            rel = _relname(node)
            relations[node.alias.aliasname if node.alias else node.relname] = rel
            relations.setdefault(rel, rel)
        elif isinstance(node, ast.ColumnRef):
            refs.append(tuple(f.sval if isinstance(f, ast.String) else "*"
                              for f in node.fields))
    out: dict[tuple, ColumnUse] = {}

    def add(table: str, column: str | None) -> None:
        if schema.has_table(table) or column is None:
            key = (table, column)
            out.setdefault(key, ColumnUse(table=table, column=column))

    known = sorted({r for r in relations.values()})
    for ref in refs:
        if len(ref) >= 2:
            rel = relations.get(".".join(ref[:-1])) or relations.get(ref[-2])
            if rel:
                add(rel, None if ref[-1] == "*" else ref[-1])
        elif ref == ("*",):
            for rel in known:
                add(rel, None)
        else:
            owners = [r for r in known if schema.has_table(r) and schema.table(r).has_column(ref[0])]
            for rel in owners or (known if len(known) == 1 else []):
                add(rel, ref[0])
    for rel in known:  # a relation read for its rows only (EXISTS, count(*))
        if schema.has_table(rel) and not any(u.table == rel for u in out.values()):
            add(rel, None)
    return [u for u in out.values() if schema.has_table(u.table)]


_TRIGGER_EVENTS = ((4, "insert"), (8, "delete"), (16, "update"), (32, "truncate"))


def _trigger(stmt, table: str) -> Trigger:
    timing = "instead of" if stmt.timing & 64 else "before" if stmt.timing & 2 else "after"
    return Trigger(name=stmt.trigname, table=table, timing=timing,
                   events=[name for bit, name in _TRIGGER_EVENTS if stmt.events & bit],
                   columns=[c.sval for c in stmt.columns or ()],
                   level="row" if stmt.row else "statement",
                   function=_dotted(stmt.funcname),
                   when=_deparse(stmt.whenClause) if stmt.whenClause else None,
                   definition=_deparse(stmt))


def _function(stmt) -> Function:
    from pglast.enums import FunctionParameterMode

    name = _dotted(stmt.funcname)
    args = [pg_type_name(p.argType) for p in stmt.parameters or ()
            if p.mode not in (FunctionParameterMode.FUNC_PARAM_OUT,
                              FunctionParameterMode.FUNC_PARAM_TABLE)]
    fn = Function(name=name, signature=f"{name}({', '.join(args)})",
                  kind="procedure" if stmt.is_procedure else "function",
                  returns=pg_type_name(stmt.returnType) if stmt.returnType else None)
    for opt in stmt.options or ():
        if opt.defname == "language":
            fn.language = opt.arg.sval
        elif opt.defname == "as":
            parts = opt.arg if isinstance(opt.arg, tuple) else (opt.arg,)
            fn.body = "".join(getattr(x, "sval", "") for x in parts)
    if stmt.sql_body is not None and fn.body is None:
        fn.body = _deparse(stmt.sql_body)
    fn.definition = _deparse(stmt)
    return fn


def _column(defn, table: str, ast, ConstrType, constraints: list[Constraint]) -> Column:
    type_name = pg_type_name(defn.typeName) if defn.typeName else ""
    col = Column(name=defn.colname, type=type_name)
    if defn.collClause is not None:
        col.collation = _dotted(defn.collClause.collname)
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
        elif kind == ConstrType.CONSTR_GENERATED:
            col.generated = _deparse(con.raw_expr)
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
                ref_columns=[a.sval for a in con.pk_attrs or ()], on_delete=_fk_action(con), on_update=_fk_action(con, True),
                validated=not con.skip_validation))
        elif kind == ConstrType.CONSTR_CHECK:
            constraints.append(Constraint(
                name=con.conname or f"{table}_{defn.colname}_check", table=table, kind="check",
                columns=[defn.colname], expression=_deparse(con.raw_expr),
                validated=not con.skip_validation))
    return col


def _fk_action(con, update: bool = False) -> str | None:
    return {"c": "cascade", "r": "restrict", "n": "set null", "d": "set default"}.get(
        con.fk_upd_action if update else con.fk_del_action)


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
                          on_delete=_fk_action(con), on_update=_fk_action(con, True), validated=not con.skip_validation)
    if kind == ConstrType.CONSTR_CHECK:
        return Constraint(name=con.conname or f"{table}_check", table=table, kind="check",
                          expression=_deparse(con.raw_expr), validated=not con.skip_validation)
    if kind == ConstrType.CONSTR_EXCLUSION:
        return Constraint(name=con.conname or f"{table}_excl", table=table, kind="exclusion")
    return None


def _create_table(stmt, ast, ConstrType, schema: Schema | None = None) -> Table:
    name = _relname(stmt.relation)
    table = Table(name=name)
    constraints: list[Constraint] = []
    parents = [_relname(r) for r in stmt.inhRelations or ()]
    known_parents = [schema.tables[p] for p in parents if schema and p in schema.tables]
    if stmt.partbound is not None:
        table.partition_of = parents[0] if parents else None
        table.partition_bound = _deparse(stmt.partbound)
    elif parents:
        table.inherits = parents
    for parent in known_parents:  # a partition or child has its parent's columns
        table.columns.extend(c.model_copy() for c in parent.columns)
    if len(known_parents) < len(parents) or stmt.ofTypename is not None:
        (schema.unresolved if schema else []).append(
            f"table {name}: its columns come from a relation or type defined elsewhere")
    for elt in stmt.tableElts or ():
        if isinstance(elt, ast.ColumnDef):
            col = _column(elt, name, ast, ConstrType, constraints)
            inherited = next((c for c in table.columns if c.name == col.name), None)
            if inherited is not None:  # PARTITION OF p (col WITH OPTIONS NOT NULL ...)
                inherited.nullable = inherited.nullable and col.nullable
                inherited.default = col.default or inherited.default
            else:
                table.columns.append(col)
        elif isinstance(elt, ast.Constraint):
            con = _table_constraint(elt, name, ast, ConstrType)
            if con:
                constraints.append(con)
        elif isinstance(elt, ast.TableLikeClause):
            src = schema.tables.get(_relname(elt.relation)) if schema else None
            if src is None:
                (schema.unresolved if schema else []).append(
                    f"table {name}: LIKE {_relname(elt.relation)}, which the file does not create")
            else:
                table.columns.extend(c.model_copy() for c in src.columns)
    if stmt.partspec is not None:
        spec = stmt.partspec
        strategy = {"r": "range", "l": "list", "h": "hash"}[str(getattr(spec.strategy, "value",
                                                                      spec.strategy))[0]]
        table.partitioning = Partitioning(strategy=strategy, key=[
            p.name if p.name else _deparse(p.expr) for p in spec.partParams or ()])
    for con in constraints:
        table.add_constraint(con)
    return table


def _index(stmt, table: str, definition: str) -> Index:
    from pglast.enums import SortByDir, SortByNulls

    cols, keys = [], []
    for param in stmt.indexParams:
        text = param.name if param.name else _deparse(param.expr)
        cols.append(text)
        key = IndexKey(column=param.name) if param.name else IndexKey(expression=text)
        key.descending = param.ordering == SortByDir.SORTBY_DESC
        if param.nulls_ordering != SortByNulls.SORTBY_NULLS_DEFAULT:
            nulls = "first" if param.nulls_ordering == SortByNulls.SORTBY_NULLS_FIRST else "last"
            key.nulls = None if nulls == ("first" if key.descending else "last") else nulls
        if param.collation:
            key.collation = _dotted(param.collation)
        if param.opclass:
            key.opclass = _dotted(param.opclass)
        keys.append(key)
    include = [p.name for p in stmt.indexIncludingParams or () if p.name]
    name = stmt.idxname or f"{table}_{'_'.join(c for c in cols if c.isidentifier())}_idx"
    return Index(name=name, table=table, columns=cols, unique=bool(stmt.unique),
                 where=_deparse(stmt.whereClause) if stmt.whereClause else None,
                 method=stmt.accessMethod if stmt.accessMethod != "btree" else None,
                 definition=definition, keys=keys, include=include)


def _alter(schema: Schema, table: Table, cmd, ast, AlterTableType, ConstrType) -> bool:
    """Apply one ALTER TABLE command; False when it is not modelled."""
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
    elif sub in (AlterTableType.AT_SetNotNull, AlterTableType.AT_DropNotNull,
                 AlterTableType.AT_ColumnDefault, AlterTableType.AT_AddIdentity):
        if not table.has_column(cmd.name):
            return False
        col = table.column(cmd.name)
        if sub == AlterTableType.AT_SetNotNull:
            col.nullable = False
        elif sub == AlterTableType.AT_DropNotNull:
            col.nullable = True
        elif sub == AlterTableType.AT_AddIdentity:
            col.identity, col.nullable = True, False
        else:
            col.default = _deparse(cmd.def_) if cmd.def_ else None
            col.identity = col.identity or (col.default or "").startswith("nextval(")
    elif sub == AlterTableType.AT_AttachPartition:
        part = schema.tables.get(_relname(cmd.def_.name))
        if part is None:
            return False
        part.partition_of, part.partition_bound = table.name, _deparse(cmd.def_.bound)
    else:
        return False
    return True
