"""Load a Schema from MySQL/MariaDB or SQLite DDL with sqlglot.

Understands CREATE TABLE (column constraints, inline KEY / UNIQUE KEY / INDEX, named
CONSTRAINT ... PRIMARY KEY / UNIQUE / FOREIGN KEY / CHECK), CREATE [UNIQUE] INDEX, CREATE VIEW,
and the same size directive as the PostgreSQL loader:

    -- migsmith: rows=2500000
    CREATE TABLE users (...);

A file sqlglot cannot read whole (stored routines between DELIMITER lines, triggers with
BEGIN ... END bodies, CREATE DEFINER=... VIEW, odd but valid types) is read statement by
statement: what sqlglot reads is modelled, triggers and views are read by their headers, and
everything else is kept as opaque DDL. A SQLite file is then run in an in-memory SQLite, the
real parser, and its model read back from that database (``live_sqlite``).

Types are normalized the way ``expressions.check_type`` normalizes a spec's types, so a column
read here and one written in a spec compare equal. Default names follow the servers: MySQL
names a primary key PRIMARY and an unnamed KEY after its first column; SQLite names unnamed
unique constraints sqlite_autoindex_<table>_<n>.
"""

from __future__ import annotations

import re

from migsmith.tools.errors import SchemaError
from migsmith.tools.schema.model import (Column, Constraint, Index, OpaqueStatement, Schema,
                                         Table, Trigger)

_ROWS = re.compile(r"--\s*migsmith:\s*rows\s*=\s*([\d_,]+)", re.IGNORECASE)
_CREATE_TABLE = re.compile(
    r"CREATE\s+(?:TEMP(?:ORARY)?\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?[`\"\[]?([A-Za-z_][\w$]*)",
    re.IGNORECASE)

# Spellings only PostgreSQL accepts: a file using them was written for PostgreSQL, whatever
# sqlglot manages to make of it (its SQLite reader accepts almost anything).
_PG_ONLY = re.compile(
    r"\b(bigserial|smallserial|serial|timestamptz|timetz|jsonb|bytea|tsvector|citext|inet|cidr|"
    r"CONCURRENTLY|CREATE\s+EXTENSION|CREATE\s+SCHEMA|GENERATED\s+(?:ALWAYS|BY\s+DEFAULT)\s+AS\s+IDENTITY|"
    r"USING\s+(?:gin|gist|brin|spgist)|NOT\s+VALID)\b|::", re.IGNORECASE)
_MYSQL_ONLY = re.compile(r"`|\b(AUTO_INCREMENT|ENGINE\s*=|UNSIGNED|unsigned|CHARSET|"
                         r"COLLATE\s*=|(?<!UNIQUE )KEY\s+[`\w]+\s*\()", re.IGNORECASE)


def _code_only(text: str) -> str:
    """The text with comments and string literals blanked (positions kept)."""
    def blank(m: re.Match) -> str:
        return re.sub(r"[^\n]", " ", m.group(0))

    return re.sub(r"--[^\n]*|/\*.*?\*/|'(?:[^']|'')*'", blank, text, flags=re.DOTALL)


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def guess_foreign_dialect(text: str, dialect: str) -> str | None:
    """If ``text`` uses syntax another dialect owns, say which and where (else None)."""
    code = _code_only(text)
    if dialect in ("mysql", "sqlite"):
        m = _PG_ONLY.search(code)
        if m and dialect == "mysql" and m.group(0).upper().startswith("CREATE"):
            m = _PG_ONLY.search(re.sub(r"(?i)CREATE\s+SCHEMA", "              ", code))
        if m:
            return (f"line {_line(text, m.start())} uses {m.group(0).strip()!r}, which is "
                    "PostgreSQL syntax: this looks like PostgreSQL DDL (use --dialect postgres)")
    if dialect in ("postgres", "sqlite"):
        m = _MYSQL_ONLY.search(code)
        if m:
            return (f"line {_line(text, m.start())} uses {m.group(0).strip()!r}, which is "
                    "MySQL syntax: this looks like MySQL/MariaDB DDL (use --dialect mysql)")
    return None


def _read(dialect: str) -> str:
    return "mysql" if dialect == "mysql" else "sqlite"


def load_sqlglot_ddl(text: str, dialect: str, *, source: str | None = None,
                     tolerant: bool = True) -> Schema:
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError, TokenError

    where = source or "schema"
    if dialect not in ("mysql", "sqlite"):
        raise SchemaError(f"{where}: no DDL reader for dialect {dialect!r}")
    foreign = guess_foreign_dialect(text, dialect)
    if foreign:
        raise SchemaError(f"{where}: not {dialect} DDL: {foreign}")
    import logging

    quiet = logging.getLogger("sqlglot")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # "falling back to parsing as a Command" is handled here
    try:
        statements = sqlglot.parse(text, read=_read(dialect))
    except (ParseError, TokenError) as exc:
        if not tolerant:
            first = str(exc).splitlines()[0]
            raise SchemaError(f"{where}: does not parse as {dialect}: {first}") from None
        statements = None
    finally:
        quiet.setLevel(level)
    if tolerant and (statements is None or any(isinstance(st, exp.Command)
                                                for st in statements)):
        return _load_statementwise(text, dialect, source)

    schema = Schema(dialect=dialect, source=source)
    sizes = _sizes(text)
    for stmt in statements:
        if stmt is None:
            continue
        if isinstance(stmt, exp.Create):
            kind = (stmt.args.get("kind") or "").upper()
            if kind == "TABLE":
                table = _create_table(stmt, dialect, where, text)
                table.row_estimate = sizes.get(table.name.lower())
                schema.tables[table.name] = table
            elif kind == "INDEX":
                _create_index(schema, stmt, dialect, where)
            elif kind == "VIEW":
                name = stmt.this.name
                query = stmt.expression
                schema.tables[name] = Table(name=name, kind="view", definition=query.sql(
                    dialect=_read(dialect)) if query is not None else None)
        elif isinstance(stmt, exp.Alter):
            _alter(schema, stmt, dialect)
        elif isinstance(stmt, exp.Command):
            raise SchemaError(f"{where}: cannot read statement {stmt.sql()[:60]!r} as {dialect} DDL")
    return schema


_TRIGGER = re.compile(
    r"CREATE\s+(?:DEFINER\s*=\s*\S+\s+)?(?:TEMP(?:ORARY)?\s+)?TRIGGER\s+(?:IF\s+NOT\s+EXISTS\s+)?"
    r"[`\"\[]?([\w$]+)[`\"\]]?\s+(BEFORE|AFTER|INSTEAD\s+OF)?\s*(INSERT|UPDATE|DELETE)"
    r"(?:\s+OF\s+([\w\s,`\"]+?))?\s+ON\s+[`\"\[]?([\w$]+)[`\"\]]?(.*)$", re.IGNORECASE | re.S)
_VIEW = re.compile(r"CREATE\s+(?:OR\s+REPLACE\s+)?(?:ALGORITHM\s*=\s*\w+\s+)?"
                   r"(?:DEFINER\s*=\s*\S+\s+)?(?:SQL\s+SECURITY\s+\w+\s+)?"
                   r"(?:TEMP(?:ORARY)?\s+)?VIEW\s+(?:IF\s+NOT\s+EXISTS\s+)?"
                   r"[`\"\[]?([\w$]+)[`\"\]]?.*?\bAS\b\s*(.*)$", re.IGNORECASE | re.S)


def _statements(text: str, dialect: str) -> list[tuple[int, str]]:
    """(line, text) of each statement, split as the database's own client would."""
    if dialect == "sqlite":
        from migsmith.tools.proving.shadow.sqlite import split_sqlite

        return [(st.line, st.text) for st in split_sqlite(text)]
    from migsmith.tools.dialects.mysql.script import split_script

    out, pos = [], 0
    for chunk in split_script(text):
        body = chunk.strip()
        at = text.find(body[:40], pos) if body else -1
        line = text.count("\n", 0, at) + 1 if at >= 0 else 0
        pos = max(pos, at)
        out.append((line, body))
    return out


def _load_statementwise(text: str, dialect: str, source: str | None) -> Schema:
    """The tolerant reader (see the module docstring)."""
    import logging

    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError, TokenError

    where = source or "schema"
    if dialect == "sqlite":
        return _read_back_sqlite(text, source)
    schema = Schema(dialect=dialect, source=source)
    sizes = _sizes(text)
    quiet = logging.getLogger("sqlglot")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        for line, body in _statements(text, dialect):
            code = _code_only(body).strip()
            if not code:
                continue
            if add_trigger(schema, body):
                continue
            view = _VIEW.match(code)
            if view:
                # the query as written (``code`` has its string literals blanked)
                lead = len(_code_only(body)) - len(_code_only(body).lstrip())
                query = body[lead + view.start(2): lead + view.end(2)].strip().rstrip(";")
                schema.tables[view.group(1)] = Table(name=view.group(1), kind="view",
                                                     definition=query.strip())
                continue
            try:
                parsed = sqlglot.parse(body, read=_read(dialect))
            except (ParseError, TokenError) as exc:
                if re.match(r"CREATE\s+(TEMP\w*\s+)?TABLE\b", code, re.IGNORECASE):
                    # a table migsmith cannot read is one it cannot plan for: say where
                    first = str(exc).splitlines()[0]
                    raise SchemaError(f"{where}:{line}: does not parse as {dialect}: "
                                      f"{first}") from None
                parsed = None
            modelled = False
            for stmt in parsed or ():
                if isinstance(stmt, exp.Create):
                    kind = (stmt.args.get("kind") or "").upper()
                    if kind == "TABLE" and isinstance(stmt.this, exp.Schema):
                        table = _create_table(stmt, dialect, where, body)
                        table.row_estimate = sizes.get(table.name.lower())
                        schema.tables[table.name] = table
                        modelled = True
                    elif kind == "INDEX":
                        _create_index(schema, stmt, dialect, where)
                        modelled = True
                elif isinstance(stmt, exp.Alter):
                    _alter(schema, stmt, dialect)
                    modelled = True
            if not modelled:
                if re.match(r"CREATE\s+(TEMP\w*\s+)?TABLE\b", code, re.IGNORECASE):
                    schema.unresolved.append(f"line {line}: a CREATE TABLE sqlglot cannot read")
                words = re.findall(r"[A-Za-z_]+", code)
                schema.opaque.append(OpaqueStatement(line=line, kind=" ".join(words[:2]).upper(),
                                                     text=body))
    finally:
        quiet.setLevel(level)
    return schema


def add_trigger(schema: Schema, body: str) -> bool:
    """Model a CREATE TRIGGER statement (MySQL, SQLite) by its header; False if it is not
    one or its table is unknown."""
    code = _code_only(body)
    lead = len(code) - len(code.lstrip())
    m = _TRIGGER.match(code.strip())
    table = schema.tables.get(m.group(5)) if m else None
    if table is None:
        return False
    timing = " ".join((m.group(2) or "before").lower().split())
    cols = [c.strip(' `"') for c in (m.group(4) or "").split(",") if c.strip()]
    rest = body[lead + m.start(6): lead + m.end(6)].strip()  # as written, literals kept
    level = "row" if re.match(r"FOR\s+EACH\s+ROW", rest, re.IGNORECASE) or \
        schema.dialect == "sqlite" else "statement"
    table.triggers.append(Trigger(name=m.group(1), table=table.name, timing=timing,
                                  events=[m.group(3).lower()], columns=cols, level=level,
                                  body=rest, definition=body))
    return True


def _read_back_sqlite(text: str, source: str | None) -> Schema:
    """Run a SQLite schema file in an in-memory database and read its model back."""
    import sqlite3

    from migsmith.tools.schema.live_sqlite import confine, schema_from_connection

    conn = confine(sqlite3.connect(":memory:", isolation_level=None))
    try:
        for line, body in _statements(text, "sqlite"):
            try:
                conn.execute(body)
            except sqlite3.Error as exc:
                first = " ".join(body.split())
                shown = first if len(first) <= 100 else first[:97] + "..."
                raise SchemaError(f"{source or 'schema'}:{line}: SQLite refuses {shown!r}: "
                                  f"{exc}") from None
        schema = schema_from_connection(conn, source=source)
    finally:
        conn.close()
    for name, rows in _sizes(text).items():
        for t in schema.tables.values():
            if t.name.lower() == name:
                t.row_estimate = rows
    return schema


def _sizes(text: str) -> dict[str, int]:
    """rows=N directives, each belonging to the first CREATE TABLE after it."""
    out: dict[str, int] = {}
    tables = [(m.start(), m.group(1).lower()) for m in _CREATE_TABLE.finditer(_code_only(text))]
    for m in _ROWS.finditer(text):
        nxt = next((name for pos, name in tables if pos > m.start()), None)
        if nxt and nxt not in out:
            out[nxt] = int(re.sub(r"[_,]", "", m.group(1)))
    return out


def type_text(kind, dialect: str) -> str:
    return kind.sql(dialect=_read(dialect)).lower()


def _expr_text(node, dialect: str) -> str:
    from sqlglot import exp

    if isinstance(node, exp.Paren):  # SQLite writes expression defaults in parentheses
        node = node.this
    return node.sql(dialect=_read(dialect))


def _names(nodes) -> list[str]:
    from sqlglot import exp

    out = []
    for n in nodes or ():
        if isinstance(n, exp.Ordered):
            n = n.this
        out.append(n.name if isinstance(n, (exp.Column, exp.Identifier)) else n.sql())
    return out


def _fk(ref, table: str, name: str, columns: list[str]) -> Constraint:
    target = ref.this  # Schema(this=Table, expressions=[cols])
    on_delete = None
    for opt in ref.args.get("options") or ():
        text = str(opt).upper()
        if text.startswith("ON DELETE "):
            on_delete = text[len("ON DELETE "):].lower()
    return Constraint(name=name, table=table, kind="foreign_key", columns=columns,
                      ref_table=target.this.name, ref_columns=_names(target.expressions),
                      on_delete=on_delete)


def _pk_name(table: str, dialect: str) -> str:
    return "PRIMARY" if dialect == "mysql" else f"{table}_pkey"


_TYPE_END = re.compile(r"\b(NOT|NULL|DEFAULT|PRIMARY|UNIQUE|CHECK|REFERENCES|CONSTRAINT|COLLATE|"
                       r"GENERATED|AS|AUTOINCREMENT)\b", re.IGNORECASE)


def raw_type(text: str, after: int) -> str | None:
    """The column type exactly as written after offset ``after`` (SQLite keeps declared types
    verbatim, and sqlglot would rewrite varchar(20) as text(20))."""
    depth, i, n = 0, after, len(text)
    while i < n:
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                break
            depth -= 1
        elif ch == "," and depth == 0:
            break
        elif depth == 0 and _TYPE_END.match(text, i) and (i == 0 or not text[i - 1].isalnum()):
            break
        i += 1
    found = " ".join(text[after:i].split()).lower()
    return found or None


def _create_table(stmt, dialect: str, where: str, source: str | None = None) -> Table:
    from sqlglot import exp

    schema_node = stmt.this
    if not isinstance(schema_node, exp.Schema):
        raise SchemaError(f"{where}: CREATE TABLE ... AS SELECT is not supported in a schema file")
    name = schema_node.this.name
    table = Table(name=name)
    constraints: list[Constraint] = []
    indexes: list[Index] = []
    unnamed = 0

    def auto_unique() -> str:
        nonlocal unnamed
        unnamed += 1
        return f"sqlite_autoindex_{name}_{unnamed}"

    for elt in schema_node.expressions:
        if isinstance(elt, exp.Identifier):  # SQLite: a column without a declared type
            table.columns.append(Column(name=elt.name, type=""))
        elif isinstance(elt, exp.ColumnDef):
            col = Column(name=elt.this.name, type=type_text(elt.args["kind"], dialect)
                         if elt.args.get("kind") else "")
            end = (elt.this.meta or {}).get("end")
            if dialect == "sqlite" and source is not None and end is not None:
                col.type = raw_type(source, end + 1) or col.type
            for cc in elt.args.get("constraints") or ():
                kind = cc.args.get("kind")
                if isinstance(kind, exp.NotNullColumnConstraint):
                    col.nullable = bool(kind.args.get("allow_null"))
                elif isinstance(kind, exp.DefaultColumnConstraint):
                    text = _expr_text(kind.this, dialect)
                    col.default = None if text.upper() == "NULL" else text
                elif isinstance(kind, exp.AutoIncrementColumnConstraint):
                    col.identity = True
                elif isinstance(kind, exp.PrimaryKeyColumnConstraint):
                    col.nullable = False
                    constraints.append(Constraint(name=_pk_name(name, dialect), table=name,
                                                  kind="primary_key", columns=[col.name],
                                                  index=_pk_name(name, dialect)))
                elif isinstance(kind, exp.UniqueColumnConstraint):
                    uname = col.name if dialect == "mysql" else auto_unique()
                    constraints.append(Constraint(name=uname, table=name, kind="unique",
                                                  columns=[col.name], index=uname))
                elif isinstance(kind, exp.Reference):
                    constraints.append(_fk(kind, name, f"{name}_{col.name}_fkey", [col.name]))
                elif isinstance(kind, exp.CheckColumnConstraint):
                    constraints.append(Constraint(
                        name=f"{name}_{col.name}_check", table=name, kind="check",
                        columns=[col.name], expression=_expr_text(kind.this, dialect)))
            if dialect == "sqlite" and col.type == "integer" and any(
                    c.kind == "primary_key" and c.columns == [col.name] for c in constraints):
                col.identity = True  # INTEGER PRIMARY KEY is the rowid
            table.columns.append(col)
        elif isinstance(elt, exp.PrimaryKey):
            constraints.append(Constraint(name=_pk_name(name, dialect), table=name,
                                          kind="primary_key", columns=_names(elt.expressions),
                                          index=_pk_name(name, dialect)))
        elif isinstance(elt, exp.UniqueColumnConstraint):
            inner = elt.this
            if isinstance(inner, exp.Schema):
                cols = _names(inner.expressions)
                uname = inner.this.name if inner.this else None
            else:
                cols, uname = _names(elt.expressions), None
            uname = uname or (cols[0] if dialect == "mysql" else auto_unique())
            constraints.append(Constraint(name=uname, table=name, kind="unique", columns=cols,
                                          index=uname))
        elif isinstance(elt, exp.IndexColumnConstraint):
            cols = _names(elt.expressions)
            iname = elt.this.name if elt.this else cols[0]
            indexes.append(Index(name=iname, table=name, columns=cols))
        elif isinstance(elt, exp.Constraint):
            cname = elt.this.name
            for inner in elt.expressions:
                if isinstance(inner, exp.PrimaryKey):
                    pk = _pk_name(name, dialect) if dialect == "mysql" else cname
                    constraints.append(Constraint(name=pk, table=name, kind="primary_key",
                                                  columns=_names(inner.expressions), index=pk))
                elif isinstance(inner, exp.ForeignKey):
                    constraints.append(_fk(inner.args["reference"], name, cname,
                                           _names(inner.expressions)))
                elif isinstance(inner, exp.UniqueColumnConstraint):
                    sch = inner.this
                    cols = _names(sch.expressions) if isinstance(sch, exp.Schema) else _names(inner.expressions)
                    constraints.append(Constraint(name=cname, table=name, kind="unique",
                                                  columns=cols, index=cname))
                elif isinstance(inner, exp.CheckColumnConstraint):
                    constraints.append(Constraint(name=cname, table=name, kind="check",
                                                  expression=_expr_text(inner.this, dialect)))
        elif isinstance(elt, exp.ForeignKey):
            cols = _names(elt.expressions)
            fk_name = f"{name}_{'_'.join(cols)}_fkey" if dialect == "sqlite" else f"{name}_ibfk_{sum(c.kind == 'foreign_key' for c in constraints) + 1}"
            constraints.append(_fk(elt.args["reference"], name, fk_name, cols))
        elif isinstance(elt, exp.CheckColumnConstraint):
            constraints.append(Constraint(name=f"{name}_check", table=name, kind="check",
                                          expression=_expr_text(elt.this, dialect)))
    for con in constraints:
        table.add_constraint(con)
    table.indexes.extend(indexes)
    if dialect == "mysql":
        _implicit_fk_indexes(table)
    return table


def _implicit_fk_indexes(table: Table) -> None:
    """InnoDB creates an index (named after the constraint) for a foreign key none covers."""
    for con in table.constraints:
        if con.kind == "foreign_key" and not table.covering_index(list(con.columns)):
            table.indexes.append(Index(name=con.name, table=table.name, columns=list(con.columns)))


def _create_index(schema: Schema, stmt, dialect: str, where: str) -> None:
    from sqlglot import exp

    idx = stmt.this
    tname = idx.args["table"].name
    table = schema.tables.get(tname)
    if table is None:
        raise SchemaError(f"{where}: index {idx.name} on unknown table {tname}")
    params = idx.args.get("params")
    cols = []
    for col in (params.args.get("columns") if params else None) or ():
        node = col.this if isinstance(col, exp.Ordered) else col
        cols.append(node.name if isinstance(node, exp.Column) else _expr_text(node, dialect))
    pred = params.args.get("where") if params else None
    table.indexes.append(Index(
        name=idx.name, table=table.name, columns=cols, unique=bool(stmt.args.get("unique")),
        where=_expr_text(pred.this, dialect) if pred is not None else None,
        definition=stmt.sql(dialect=_read(dialect))))


def _alter(schema: Schema, stmt, dialect: str) -> None:
    from sqlglot import exp

    table = schema.tables.get(stmt.this.name)
    if table is None:
        return
    for action in stmt.args.get("actions") or ():
        if isinstance(action, exp.ColumnDef):
            tmp = exp.Create(this=exp.Schema(this=stmt.this, expressions=[action]), kind="TABLE")
            parsed = _create_table(tmp, dialect, "alter")
            table.columns.extend(parsed.columns)
            for con in parsed.constraints:
                table.add_constraint(con)
            del sub
        elif isinstance(action, exp.AddConstraint):
            tmp = exp.Create(this=exp.Schema(this=stmt.this, expressions=action.expressions),
                             kind="TABLE")
            parsed = _create_table(tmp, dialect, "alter")
            for con in parsed.constraints:
                table.add_constraint(con)


def add_view_dependencies(schema: Schema) -> Schema:
    """Fill in what each view of a MySQL or SQLite schema reads (``depends_on``): every column
    resolved to its table through sqlglot's scopes (aliases, joins, subqueries, CTEs), and a
    relation read whole where no column of it is named."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.optimizer.qualify import qualify
    from sqlglot.optimizer.scope import traverse_scope

    from migsmith.tools.schema.model import ColumnUse

    mapping = {t.name: {c.name: "text" for c in t.columns}
               for t in schema.tables.values() if not t.is_view}
    for view in schema.tables.values():
        if not view.is_view or not view.definition:
            continue
        try:
            tree = sqlglot.parse_one(view.definition, read=_read(schema.dialect))
            if isinstance(tree, exp.Create):
                tree = tree.expression
            tree = qualify(tree, schema=mapping, dialect=_read(schema.dialect),
                           validate_qualify_columns=False, quote_identifiers=False,
                           identify=False)
            scopes = traverse_scope(tree)
        except Exception:  # sqlglot errors of every kind: the view stays without dependencies
            continue
        uses: list[ColumnUse] = []
        for scope in scopes:
            for column in scope.columns:
                source = scope.sources.get(column.table)
                if isinstance(source, exp.Table) and schema.has_table(source.name):
                    use = ColumnUse(table=schema.table(source.name).name, column=column.name)
                    if use not in uses:
                        uses.append(use)
            for source in scope.sources.values():
                if isinstance(source, exp.Table) and schema.has_table(source.name):
                    name = schema.table(source.name).name
                    if not any(u.table == name for u in uses):
                        uses.append(ColumnUse(table=name))
        view.depends_on = uses
    return schema
