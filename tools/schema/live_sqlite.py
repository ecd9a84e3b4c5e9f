"""Read the schema of a live SQLite database (read-only) through sqlite_schema and pragmas.

URLs: ``sqlite:///relative/path.db``, ``sqlite:////absolute/path.db``, or a plain file path.
Row estimates are exact counts (SQLite keeps no statistics unless ANALYZE ran, and counting a
local file is cheap next to planning).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from migsmith.tools.errors import SchemaError
from migsmith.tools.schema.model import Column, Constraint, Index, Schema, Table


def sqlite_path(url: str) -> str:
    if url.startswith("sqlite3:///"):
        url = "sqlite:///" + url[len("sqlite3:///"):]
    if url.startswith("sqlite:///"):
        return url[len("sqlite:///"):]
    if "://" in url:
        raise SchemaError(f"not a SQLite URL: {url} (use sqlite:///path/to/file.db)")
    return url


def sqlite_uri(path: str, *, read_only: bool = False) -> str:
    """A ``file:`` URI for ``path`` (quoted: a ``?`` or ``#`` in a name stays in the name)."""
    from urllib.parse import quote

    return f"file:{quote(str(path))}" + ("?mode=ro" if read_only else "")


# Functions that reach files or load code, should a build of SQLite have them.
_REFUSED_FUNCTIONS = {"load_extension", "readfile", "writefile", "edit", "fts3_tokenizer"}


def _confined(action: int, arg1, arg2, db_name, trigger) -> int:
    if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH):
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_FUNCTION and str(arg2).lower() in _REFUSED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def confine(conn: sqlite3.Connection) -> sqlite3.Connection:
    """Let ``conn`` run a schema file or a plan on its own database file and touch no other
    file: ATTACH (which VACUUM INTO also needs) would create or write one wherever this process
    may, and a few functions some builds carry read or write files or load code."""
    conn.set_authorizer(_confined)
    return conn


def connect_sqlite(url: str, *, read_only: bool = False) -> sqlite3.Connection:
    """A connection to the SQLite file of ``url`` (or path); ``read_only``: opened so
    (``mode=ro``), whatever the file's permissions."""
    path = sqlite_path(url)
    if read_only and not Path(path).is_file():
        raise SchemaError(f"SQLite database not found: {path}")
    return sqlite3.connect(sqlite_uri(path, read_only=read_only), uri=True,
                           isolation_level=None, check_same_thread=False)


def table_checks(table_sql: str | None, table: str) -> list[tuple[str, str]]:
    """(name, expression) of the CHECK constraints in a CREATE TABLE statement."""
    if not table_sql or "check" not in table_sql.lower():
        return []
    from migsmith.tools.schema.sqlglot_ddl import load_sqlglot_ddl

    try:
        parsed = load_sqlglot_ddl(table_sql, "sqlite", source=table, tolerant=False)
    except SchemaError:
        return []
    return [(c.name, c.expression or "") for t in parsed.tables.values() for c in t.constraints
            if c.kind == "check"]


def load_sqlite_schema(url: str) -> Schema:
    conn = connect_sqlite(url, read_only=True)
    try:
        return schema_from_connection(conn, source=url)
    except sqlite3.DatabaseError as exc:
        raise SchemaError(f"cannot read SQLite database {sqlite_path(url)}: {exc}") from None
    finally:
        conn.close()


def schema_from_connection(conn: sqlite3.Connection, *, source: str | None = None) -> Schema:
    version = conn.execute("SELECT sqlite_version()").fetchone()[0]
    schema = Schema(dialect="sqlite", source=source, server_version=version)
    master = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master "
                          "WHERE name NOT LIKE 'sqlite_%' ORDER BY rowid").fetchall()
    for kind, name, _tbl, sql in master:
        if kind == "view":
            schema.tables[name] = Table(name=name, kind="view", definition=sql)
        elif kind == "table":
            schema.tables[name] = _table(conn, name, sql)
    from migsmith.tools.schema.sqlglot_ddl import add_trigger

    for kind, name, _tbl, sql in master:
        if kind == "trigger" and sql:
            add_trigger(schema, sql)
    from migsmith.tools.schema.sqlglot_ddl import add_view_dependencies

    return add_view_dependencies(schema)


def _generated_expression(table_sql: str | None, column: str) -> str:
    """The GENERATED ALWAYS AS (...) expression of ``column`` in its CREATE TABLE text
    (the pragmas only say that it is generated)."""
    import re

    # (a type may hold a comma: DECIMAL(20, 5))
    m = re.search(rf'[`"\[]?{re.escape(column)}[`"\]]?(?:\([^)]*\)|[^,(])*?\bAS\s*\(',
                  table_sql or "", re.IGNORECASE)
    if not m:
        return "(generated)"
    depth, i = 1, m.end()
    while i < len(table_sql) and depth:
        depth += {"(": 1, ")": -1}.get(table_sql[i], 0)
        i += 1
    return table_sql[m.end(): i - 1].strip()


def _table(conn: sqlite3.Connection, name: str, sql: str | None) -> Table:
    q = '"' + name.replace('"', '""') + '"'
    table = Table(name=name, row_estimate=conn.execute(f"SELECT count(*) FROM {q}").fetchone()[0])
    pk = []
    for _cid, cname, ctype, notnull, default, pk_pos, hidden in conn.execute(
            "SELECT cid, name, type, \"notnull\", dflt_value, pk, hidden "
            "FROM pragma_table_xinfo(?)", (name,)):
        if hidden == 1:
            continue  # a virtual table's hidden column
        table.columns.append(Column(name=cname, type=(ctype or "").lower(),
                                    nullable=not notnull and not pk_pos, default=default,
                                    generated=_generated_expression(sql, cname)
                                    if hidden in (2, 3) else None,
                                    generated_virtual=hidden == 2))
        if pk_pos:
            pk.append((pk_pos, cname))
    if pk:
        cols = [c for _, c in sorted(pk)]
        if len(cols) == 1 and table.column(cols[0]).type == "integer":
            table.column(cols[0]).identity = True
        table.constraints.append(Constraint(name=f"{name}_pkey", table=name, kind="primary_key",
                                            columns=cols, index=f"{name}_pkey"))
        table.indexes.append(Index(name=f"{name}_pkey", table=name, columns=cols, unique=True,
                                   primary=True))
    index_sql = {n: s for k, n, _t, s in conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?",
        (name,))}
    for _seq, iname, unique, origin, partial in conn.execute(
            "SELECT seq, name, \"unique\", origin, partial FROM pragma_index_list(?)", (name,)):
        cols = [c or "<expr>" for (c,) in conn.execute(
            "SELECT name FROM pragma_index_info(?) ORDER BY seqno", (iname,))]
        if origin == "pk":
            continue
        if origin == "u":
            table.constraints.append(Constraint(name=iname, table=name, kind="unique",
                                                columns=cols, index=iname))
            table.indexes.append(Index(name=iname, table=name, columns=cols, unique=True))
            continue
        where = None
        definition = index_sql.get(iname)
        if partial and definition and " where " in definition.lower():
            where = definition[definition.lower().rindex(" where ") + 7:].strip()
        table.indexes.append(Index(name=iname, table=name, columns=cols, unique=bool(unique),
                                   where=where, definition=definition))
    fks: dict[int, list] = {}
    for row in conn.execute("SELECT id, seq, \"table\", \"from\", \"to\", on_delete, on_update "
                            "FROM pragma_foreign_key_list(?)", (name,)):
        fks.setdefault(row[0], []).append(row)
    for parts in fks.values():
        parts.sort(key=lambda p: p[1])
        cols = [p[3] for p in parts]
        action, update = parts[0][5].lower(), parts[0][6].lower()
        table.constraints.append(Constraint(
            name=f"{name}_{'_'.join(cols)}_fkey", table=name, kind="foreign_key", columns=cols,
            ref_table=parts[0][2], ref_columns=[p[4] for p in parts if p[4]],
            on_delete=None if action == "no action" else action,
            on_update=None if update == "no action" else update))
    for cname, expression in table_checks(sql, name):
        table.constraints.append(Constraint(name=cname, table=name, kind="check",
                                            expression=expression))
    return table


def dump_sqlite_ddl(conn: sqlite3.Connection) -> str:
    """The stored CREATE statements (tables first, then indexes, triggers and views)."""
    order = {"table": 0, "index": 1, "trigger": 2, "view": 3}
    rows = conn.execute("SELECT type, sql FROM sqlite_master WHERE sql IS NOT NULL "
                        "AND name NOT LIKE 'sqlite_%'").fetchall()
    return "".join(sql + ";\n" for _, sql in sorted(rows, key=lambda r: order.get(r[0], 9)))
