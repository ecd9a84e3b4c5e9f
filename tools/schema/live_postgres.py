"""The schema of a live PostgreSQL database, from its catalog (psycopg 3, read-only).

``read_catalog`` returns the raw facts (also the base of ``tools/proving/catalog.py`` snapshots);
``load_postgres_schema`` turns them into the Schema model. Tables outside ``public`` are named
``schema.table``. Row estimates come from ``pg_class.reltuples``; a table never analyzed
(reltuples = -1) and smaller than a few MB is counted instead.
"""

from __future__ import annotations

from migsmith.tools.errors import SchemaError
from migsmith.tools.schema.model import Column, Constraint, Index, Schema, Table

COUNT_BELOW_BYTES = 8 * 1024 * 1024
_CONTYPE = {"p": "primary_key", "u": "unique", "f": "foreign_key", "c": "check", "x": "exclusion"}
_ON_DELETE = {"c": "cascade", "r": "restrict", "n": "set null", "d": "set default"}

NAMESPACE_FILTER = ("n.nspname <> ALL('{pg_catalog,information_schema}') "
                    "AND n.nspname NOT LIKE 'pg\\_%%'")


def _ns_clause(namespaces: list[str] | None) -> tuple[str, tuple]:
    if namespaces:
        return "n.nspname = ANY(%s)", (namespaces,)
    return NAMESPACE_FILTER, ()


def relation_name(schema: str, name: str, namespaces: list[str] | None = None) -> str:
    """How the model names a relation: bare in public (or the one namespace asked for)."""
    if schema == "public" or (namespaces and len(namespaces) == 1 and schema == namespaces[0]):
        return name
    return f"{schema}.{name}"


def read_catalog(conn, namespaces: list[str] | None = None) -> dict:
    """Raw catalog facts about user relations: tables, columns, indexes, constraints."""
    where, params = _ns_clause(namespaces)
    rels = conn.execute(
        f"""SELECT c.oid, n.nspname, c.relname, c.relkind, c.reltuples::float8,
                   pg_relation_size(c.oid)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v', 'm') AND {where}
            ORDER BY n.nspname, c.relname""", params).fetchall()
    oids = [r[0] for r in rels]
    tables = {r[0]: {"schema": r[1], "name": relation_name(r[1], r[2], namespaces),
                     "kind": "view" if r[3] in ("v", "m") else "table", "reltuples": r[4],
                     "bytes": r[5], "columns": [], "indexes": [], "constraints": []}
              for r in rels}
    for (relid, name, typ, notnull, default, identity, generated) in conn.execute(
            """SELECT a.attrelid, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                      pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, a.attgenerated::text
               FROM pg_attribute a
               LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
               WHERE a.attrelid = ANY(%s) AND a.attnum > 0 AND NOT a.attisdropped
               ORDER BY a.attrelid, a.attnum""", (oids,)):
        tables[relid]["columns"].append({
            "name": name, "type": typ, "nullable": not notnull, "default": default,
            "identity": identity or "", "generated": generated or ""})
    for (relid, name, definition, unique, primary, valid, pred, method, cols) in conn.execute(
            """SELECT i.indrelid, ic.relname, pg_get_indexdef(i.indexrelid), i.indisunique,
                      i.indisprimary, i.indisvalid, pg_get_expr(i.indpred, i.indrelid, true),
                      am.amname,
                      ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true)
                            FROM generate_series(1, i.indnkeyatts) k ORDER BY k)
               FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
               JOIN pg_am am ON am.oid = ic.relam
               WHERE i.indrelid = ANY(%s) ORDER BY i.indrelid, ic.relname""", (oids,)):
        tables[relid]["indexes"].append({
            "name": name, "definition": definition, "unique": unique, "primary": primary,
            "valid": valid, "where": pred, "method": method,
            "columns": [_unquote(c) for c in cols]})
    for (relid, name, contype, definition, validated, cols, ref_ns, ref_name, ref_cols,
         deltype, index) in conn.execute(
            """SELECT con.conrelid, con.conname, con.contype::text,
                      pg_get_constraintdef(con.oid, true), con.convalidated,
                      ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(n, o)
                            JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n
                            ORDER BY k.o),
                      rn.nspname, rc.relname,
                      ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(n, o)
                            JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n
                            ORDER BY k.o),
                      con.confdeltype::text, ic.relname
               FROM pg_constraint con
               LEFT JOIN pg_class rc ON rc.oid = con.confrelid
               LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
               LEFT JOIN pg_class ic ON ic.oid = con.conindid AND con.contype IN ('p', 'u', 'x')
               WHERE con.conrelid = ANY(%s) AND con.contype IN ('p', 'u', 'f', 'c', 'x')
               ORDER BY con.conrelid, con.conname""", (oids,)):
        tables[relid]["constraints"].append({
            "name": name, "kind": _CONTYPE[contype], "definition": definition,
            "validated": validated, "columns": list(cols),
            "ref_table": relation_name(ref_ns, ref_name, namespaces) if ref_name else None,
            "ref_columns": list(ref_cols), "on_delete": _ON_DELETE.get(deltype or ""),
            "index": index})
    return {"tables": tables}


def _unquote(name: str) -> str:
    if len(name) > 1 and name[0] == name[-1] == '"':
        return name[1:-1].replace('""', '"')
    return name


def _check_expression(definition: str) -> str | None:
    text = definition.strip()
    if not text.upper().startswith("CHECK"):
        return None
    text = text[5:].strip().removesuffix("NOT VALID").strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1]
    return text


def schema_from_catalog(raw: dict, conn=None, *, count_small: bool = True) -> Schema:
    """The Schema model of ``read_catalog`` facts (``conn`` counts rows of tiny new tables)."""
    schema = Schema(dialect="postgres")
    for table in raw["tables"].values():
        name = table["name"]
        t = Table(name=name, kind=table["kind"])
        for c in table["columns"]:
            default = c["default"] if not c["generated"] else None
            t.columns.append(Column(
                name=c["name"], type=c["type"], nullable=c["nullable"], default=default,
                identity=bool(c["identity"]) or (default or "").startswith("nextval(")))
        for i in table["indexes"]:
            t.indexes.append(Index(name=i["name"], table=name, columns=i["columns"],
                                   unique=i["unique"], primary=i["primary"], where=i["where"],
                                   method=None if i["method"] == "btree" else i["method"],
                                   valid=i["valid"], definition=i["definition"]))
        for c in table["constraints"]:
            t.constraints.append(Constraint(
                name=c["name"], table=name, kind=c["kind"], columns=c["columns"],
                ref_table=c["ref_table"], ref_columns=c["ref_columns"],
                expression=_check_expression(c["definition"]) if c["kind"] == "check" else None,
                on_delete=c["on_delete"] if c["kind"] == "foreign_key" else None,
                validated=c["validated"], index=c["index"]))
        if table["kind"] == "table":
            t.row_estimate = _row_estimate(table, conn if count_small else None)
        schema.tables[name] = t
    return schema


def _row_estimate(table: dict, conn) -> int | None:
    if table["reltuples"] >= 0:
        return int(table["reltuples"])
    if conn is not None and table["bytes"] < COUNT_BELOW_BYTES:
        from psycopg import sql

        parts = table["name"].split(".") if table["schema"] != "public" else [table["name"]]
        if len(parts) == 1 and table["schema"] != "public":
            parts = [table["schema"], parts[0]]
        return conn.execute(sql.SQL("SELECT count(*) FROM {}").format(
            sql.Identifier(*parts))).fetchone()[0]
    return None


def load_postgres_schema(url: str) -> Schema:
    import psycopg

    from migsmith.tools.schema.live import redact_url

    try:
        conn = psycopg.connect(url, connect_timeout=10, autocommit=True)
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise SchemaError(f"cannot connect to {redact_url(url)}: {first}") from None
    try:
        # Never write to the user's database, even by accident.
        conn.execute("SET default_transaction_read_only = on")
        conn.execute("SET statement_timeout = '30s'")
        with conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            raw = read_catalog(conn)
            schema = schema_from_catalog(raw, conn)
            schema.server_version = conn.execute("SHOW server_version").fetchone()[0].split()[0]
    except psycopg.Error as exc:
        raise SchemaError(f"cannot read the schema of {redact_url(url)}: "
                          f"{str(exc).strip().splitlines()[0]}") from None
    finally:
        conn.close()
    schema.source = redact_url(url)
    return schema


def schema_to_ddl(schema: Schema) -> str:
    """PostgreSQL DDL that re-creates ``schema``'s tables, keys, indexes and constraints
    (what a shadow database starts from when the schema was read from a live database)."""
    from migsmith.tools.spec.identifiers import quote_ident as q

    out: list[str] = []
    tables = [t for t in schema.tables.values() if t.kind == "table"]
    for t in tables:
        cols = []
        for c in t.columns:
            line = f"    {q(c.name)} {c.type}"
            if c.default is not None and not c.default.startswith("nextval("):
                line += f" DEFAULT {c.default}"
            elif c.identity:
                line += " GENERATED BY DEFAULT AS IDENTITY"
            if not c.nullable:
                line += " NOT NULL"
            cols.append(line)
        rows = f"-- migsmith: rows={t.row_estimate}\n" if t.row_estimate is not None else ""
        out.append(f"{rows}CREATE TABLE {q(t.name)} (\n" + ",\n".join(cols) + "\n);")
    for t in tables:
        for con in t.constraints:
            if con.kind in ("primary_key", "unique"):
                kw = "PRIMARY KEY" if con.kind == "primary_key" else "UNIQUE"
                out.append(f"ALTER TABLE {q(t.name)} ADD CONSTRAINT {q(con.name)} {kw} "
                           f"({', '.join(q(c) for c in con.columns)});")
            elif con.kind == "check" and con.expression:
                out.append(f"ALTER TABLE {q(t.name)} ADD CONSTRAINT {q(con.name)} CHECK "
                           f"({con.expression}){'' if con.validated else ' NOT VALID'};")
        for idx in t.indexes:
            owned = any(c.index == idx.name for c in t.constraints)
            if not owned and idx.definition and not idx.primary:
                out.append(idx.definition + ";")
    for t in tables:
        for con in t.constraints:
            if con.kind == "foreign_key":
                on_delete = f" ON DELETE {con.on_delete.upper()}" if con.on_delete else ""
                out.append(f"ALTER TABLE {q(t.name)} ADD CONSTRAINT {q(con.name)} FOREIGN KEY "
                           f"({', '.join(q(c) for c in con.columns)}) REFERENCES "
                           f"{q(con.ref_table)} ({', '.join(q(c) for c in con.ref_columns)})"
                           f"{on_delete}{'' if con.validated else ' NOT VALID'};")
    return "\n\n".join(out) + "\n"
