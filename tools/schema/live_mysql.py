"""Read the schema of a live MySQL/MariaDB database (read-only) from information_schema.

URL: ``mysql://user:password@host:port/database`` (``mariadb://`` too). Row estimates are
information_schema.TABLES.TABLE_ROWS (InnoDB's sampled estimate: no table is scanned).
"""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlparse

from migsmith.tools.errors import SchemaError
from migsmith.tools.schema.model import Column, Constraint, Index, Schema, Table, Trigger


def connect_mysql(url: str, *, database: str | None = None, autocommit: bool = True):
    """A PyMySQL connection from a mysql:// URL (``database`` overrides the URL's)."""
    import pymysql

    parts = urlparse(url)
    if parts.scheme not in ("mysql", "mariadb", "mysql+pymysql"):
        raise SchemaError(f"not a MySQL URL: {parts.scheme}://... (use mysql://user:pw@host/db)")
    query = parse_qs(parts.query)
    kwargs = dict(host=parts.hostname or "127.0.0.1", port=parts.port or 3306,
                  user=unquote(parts.username or "root"),
                  password=unquote(parts.password or ""), autocommit=autocommit,
                  charset="utf8mb4", connect_timeout=10)
    db = database if database is not None else parts.path.lstrip("/")
    if db:
        kwargs["database"] = db
    if "unix_socket" in query:
        kwargs["unix_socket"] = query["unix_socket"][0]
    try:
        return pymysql.connect(**kwargs)
    except pymysql.err.MySQLError as exc:
        from migsmith.tools.schema.live import redact_url

        raise SchemaError(f"cannot connect to {redact_url(url)}: {exc.args[-1]}") from None


def load_mysql_schema(url: str) -> Schema:
    from migsmith.tools.schema.live import redact_url

    conn = connect_mysql(url)
    try:
        with conn.cursor() as cur:
            # --db is read-only, as on PostgreSQL: the server refuses any write this session
            # might be led to make (a statement that writes fails instead of changing data).
            cur.execute("SET SESSION TRANSACTION READ ONLY")
            cur.execute("SELECT DATABASE(), VERSION()")
            db, version = cur.fetchone()
        if not db:
            raise SchemaError(f"{redact_url(url)} names no database (mysql://.../<database>)")
        return schema_from_connection(conn, source=redact_url(url), version=version)
    finally:
        conn.close()


def schema_from_connection(conn, *, source: str | None = None, version: str = "") -> Schema:
    from migsmith.tools.proving.catalog_mysql_sqlite import _rows, is_mariadb, mysql_default

    mariadb = is_mariadb(conn)
    schema = Schema(dialect="mysql", source=source, server_version=version)
    for r in _rows(conn, "SELECT TABLE_NAME, TABLE_TYPE, TABLE_ROWS FROM information_schema.TABLES "
                         "WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME"):
        view = r["table_type"] == "VIEW"
        schema.tables[r["table_name"]] = Table(
            name=r["table_name"], kind="view" if view else "table",
            row_estimate=None if view else int(r["table_rows"] or 0))
    for r in _rows(conn, """SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE,
                                   COLUMN_DEFAULT, EXTRA
                            FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()
                            ORDER BY TABLE_NAME, ORDINAL_POSITION"""):
        table = schema.tables.get(r["table_name"])
        if table is None or table.kind == "view":
            continue
        table.columns.append(Column(
            name=r["column_name"], type=r["column_type"].lower(),
            nullable=r["is_nullable"] == "YES",
            default=mysql_default(r["column_default"], r["extra"], mariadb),
            identity="auto_increment" in (r["extra"] or "").lower()))
    indexes: dict[tuple[str, str], Index] = {}
    for r in _rows(conn, """SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME
                            FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()
                            ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX"""):
        key = (r["table_name"], r["index_name"])
        if key not in indexes:
            indexes[key] = Index(name=r["index_name"], table=r["table_name"],
                                 unique=int(r["non_unique"]) == 0,
                                 primary=r["index_name"] == "PRIMARY")
        indexes[key].columns.append(r["column_name"])
    for (tname, _), idx in indexes.items():
        if tname in schema.tables:
            schema.tables[tname].indexes.append(idx)
    key_cols: dict[tuple[str, str], list[dict]] = {}
    for r in _rows(conn, """SELECT TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME,
                                   REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME
                            FROM information_schema.KEY_COLUMN_USAGE
                            WHERE TABLE_SCHEMA = DATABASE()
                            ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION"""):
        key_cols.setdefault((r["table_name"], r["constraint_name"]), []).append(r)
    deletes = {(r["table_name"], r["constraint_name"]): r["delete_rule"].lower() for r in _rows(
        conn, """SELECT TABLE_NAME, CONSTRAINT_NAME, DELETE_RULE
                 FROM information_schema.REFERENTIAL_CONSTRAINTS
                 WHERE CONSTRAINT_SCHEMA = DATABASE()""")}
    from migsmith.tools.proving.catalog_mysql_sqlite import _mysql_checks

    checks = _mysql_checks(conn, mariadb)
    for r in _rows(conn, """SELECT TABLE_NAME, CONSTRAINT_NAME, CONSTRAINT_TYPE
                            FROM information_schema.TABLE_CONSTRAINTS
                            WHERE TABLE_SCHEMA = DATABASE()"""):
        table = schema.tables.get(r["table_name"])
        if table is None:
            continue
        name, kind = r["constraint_name"], r["constraint_type"]
        cols = key_cols.get((table.name, name), [])
        if kind == "PRIMARY KEY":
            table.constraints.append(Constraint(name=name, table=table.name, kind="primary_key",
                                                columns=[c["column_name"] for c in cols],
                                                index="PRIMARY"))
        elif kind == "UNIQUE":
            table.constraints.append(Constraint(name=name, table=table.name, kind="unique",
                                                columns=[c["column_name"] for c in cols],
                                                index=name))
        elif kind == "FOREIGN KEY":
            rule = deletes.get((table.name, name), "restrict")
            table.constraints.append(Constraint(
                name=name, table=table.name, kind="foreign_key",
                columns=[c["column_name"] for c in cols],
                ref_table=cols[0]["referenced_table_name"] if cols else None,
                ref_columns=[c["referenced_column_name"] for c in cols],
                on_delete=None if rule in ("restrict", "no action") else rule))
        elif kind == "CHECK":
            table.constraints.append(Constraint(name=name, table=table.name, kind="check",
                                                expression=checks.get((table.name, name))))
    for r in _rows(conn, """SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING,
                                   EVENT_MANIPULATION, ACTION_STATEMENT
                            FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()
                            ORDER BY TRIGGER_NAME"""):
        table = schema.tables.get(r["event_object_table"])
        if table is not None:
            table.triggers.append(Trigger(
                name=r["trigger_name"], table=table.name, timing=r["action_timing"].lower(),
                events=[r["event_manipulation"].lower()], body=r["action_statement"]))
    for r in _rows(conn, "SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS "
                         "WHERE TABLE_SCHEMA = DATABASE()"):
        if r["table_name"] in schema.tables:
            schema.tables[r["table_name"]].definition = r["view_definition"]
    return schema


def dump_mysql_ddl(conn) -> str:
    """CREATE statements for every table and view of the current database (SHOW CREATE), with
    foreign key checks off so the order does not matter: how a live schema is re-created on a
    shadow database."""
    with conn.cursor() as cur:
        cur.execute("SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES "
                    "WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_TYPE, TABLE_NAME")
        rows = cur.fetchall()
        out = ["SET SESSION foreign_key_checks = 0;"]
        for name, kind in rows:
            cur.execute(f"SHOW CREATE {'VIEW' if kind == 'VIEW' else 'TABLE'} `{name}`")
            text = cur.fetchone()[1]
            if kind == "VIEW":  # drop DEFINER/SQL SECURITY: the shadow user owns the copy
                text = "CREATE VIEW" + text[text.upper().index(" VIEW ") + 5:]
            out.append(text + ";")
        out.append("SET SESSION foreign_key_checks = 1;")
    return "\n".join(out) + "\n"
