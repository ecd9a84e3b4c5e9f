"""The schema of a live PostgreSQL database, from its catalog (psycopg 3, read-only).

``read_catalog`` returns the raw facts (also the base of ``tools/proving/catalog.py`` snapshots);
``read_objects`` the rest of the model (index keys, partitions, views' dependencies, triggers,
types, functions, sequences, extensions); ``load_postgres_schema`` turns them into the Schema
model. Tables outside ``public`` are named
``schema.table``. Row estimates come from ``pg_class.reltuples``; a table never analyzed
(reltuples = -1) and smaller than a few MB is counted instead.
"""

from __future__ import annotations

import re

from migsmith.tools.errors import SchemaError
from migsmith.tools.schema.model import (Column, ColumnUse, Constraint, Extension, Function,
                                         Index, IndexKey, Partitioning, Schema, Sequence, Table,
                                         Trigger, UserType)

COUNT_BELOW_BYTES = 8 * 1024 * 1024
_CONTYPE = {"p": "primary_key", "u": "unique", "f": "foreign_key", "c": "check", "x": "exclusion"}
_ON_DELETE = {"c": "cascade", "r": "restrict", "n": "set null", "d": "set default"}

_RELKIND = {"v": "view", "m": "materialized_view"}
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
    """Raw catalog facts about user relations: tables, columns, indexes, constraints. The
    tables of extensions (pg_partman's part_config, PostGIS' spatial_ref_sys) are the
    extension's, not the schema's: left out, as their functions and types are."""
    where, params = _ns_clause(namespaces)
    rels = conn.execute(
        f"""SELECT c.oid, n.nspname, c.relname, c.relkind, c.reltuples::float8,
                   pg_relation_size(c.oid)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v', 'm') AND {where}
              -- an extension's own tables (pg_partman's configuration, PostGIS's
              -- spatial_ref_sys) are the extension's, not the schema's: pg_dump leaves them
              -- out too, and the shadow's owner role may not even read them
              AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_class'::regclass
                              AND e.objid = c.oid AND e.deptype = 'e')
            ORDER BY n.nspname, c.relname""", params).fetchall()
    oids = [r[0] for r in rels]
    tables = {r[0]: {"schema": r[1], "name": relation_name(r[1], r[2], namespaces),
                     "kind": _RELKIND.get(r[3], "table"), "reltuples": r[4],
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
    for (relid, name, definition, unique, primary, valid, pred, method, cols,
         *form) in conn.execute(
            f"""SELECT i.indrelid, ic.relname, pg_get_indexdef(i.indexrelid), i.indisunique,
                      i.indisprimary, i.indisvalid, pg_get_expr(i.indpred, i.indrelid, true),
                      am.amname,
                      ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true)
                            FROM generate_series(1, i.indnkeyatts) k ORDER BY k),
                      {INDEX_FORM}
               FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
               JOIN pg_am am ON am.oid = ic.relam
               WHERE i.indrelid = ANY(%s) ORDER BY i.indrelid, ic.relname""", (oids,)):
        tables[relid]["indexes"].append({
            "name": name, "definition": definition, "unique": unique, "primary": primary,
            "valid": valid, "where": pred, "method": method,
            "columns": [_unquote(c) for c in cols], "form": index_form(form)})
    for (relid, name, contype, definition, validated, cols, ref_ns, ref_name, ref_cols,
         deltype, index, updtype) in conn.execute(
            """SELECT con.conrelid, con.conname, con.contype::text,
                      pg_get_constraintdef(con.oid, true), con.convalidated,
                      ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(n, o)
                            JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n
                            ORDER BY k.o),
                      rn.nspname, rc.relname,
                      ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(n, o)
                            JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n
                            ORDER BY k.o),
                      con.confdeltype::text, ic.relname, con.confupdtype::text
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
            "on_update": _ON_DELETE.get(updtype or ""),
            "index": index})
    return {"tables": tables}


# What an index is, as the server holds it (pg_index of ``i``, pg_class of ``ic``): access
# method, keys, operator classes, collations, options, expression trees, and the table's
# column names by number (a column dropped and added back has a new number, not a new name).
INDEX_FORM = ("ic.relam, i.indisunique, i.indnatts, i.indnkeyatts, i.indkey::text, "
              "i.indclass::text, i.indcollation::text, i.indoption::text, i.indexprs::text, "
              "i.indpred::text, (SELECT json_object_agg(a.attnum, a.attname) FROM pg_attribute a "
              "WHERE a.attrelid = i.indrelid AND a.attnum > 0)::text")
_WRITTEN = re.compile(r" :(?:location|funcformat|relabelformat|coerceformat|convertformat)"
                      r" -?\d+")
_ATTNO = re.compile(r" :(varattno|varattnosyn) (\d+)")


def index_form(values) -> str:
    """``INDEX_FORM``'s values as one comparable string: columns by name, and without what
    the expression trees record of how they were written (SQL syntax or a function call, a
    cast written or implied, the place in the statement), so two spellings of one index on
    the same columns compare equal."""
    import json

    *values, names = values
    names = json.loads(names or "{}")
    values[4] = " ".join(names.get(n, n) for n in (values[4] or "").split())  # indkey

    def text(v) -> str:
        if not isinstance(v, str):
            return str(v)
        v = _WRITTEN.sub("", v)
        return _ATTNO.sub(lambda m: f" :{m.group(1)} {names.get(m.group(2), m.group(2))}", v)

    return "|".join(text(v) for v in values)


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


def schema_from_catalog(raw: dict, conn=None, *, count_small: bool = True,
                        namespaces: list[str] | None = None) -> Schema:
    """The Schema model of ``read_catalog`` facts (``conn`` counts rows of tiny new tables,
    and reads the objects beyond tables: ``read_objects``)."""
    schema = Schema(dialect="postgres")
    for table in raw["tables"].values():
        name = table["name"]
        t = Table(name=name, kind=table["kind"])
        for c in table["columns"]:
            default = c["default"] if not c["generated"] else None
            t.columns.append(Column(
                name=c["name"], type=c["type"], nullable=c["nullable"], default=default,
                identity=bool(c["identity"]) or (default or "").startswith("nextval("),
                generated=c["default"] if c["generated"] else None))
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
                on_update=c.get("on_update") if c["kind"] == "foreign_key" else None,
                validated=c["validated"], index=c["index"]))
        if table["kind"] == "table":
            t.row_estimate = _row_estimate(table)
        schema.tables[name] = t
    if conn is not None and count_small:
        # never analyzed (reltuples -1) and small: counted, all in a few round trips
        uncounted = [t for t in raw["tables"].values() if t["kind"] == "table"
                     and t["reltuples"] < 0 and t["bytes"] < COUNT_BELOW_BYTES]
        counts = count_rows(conn, [(t["schema"], t["name"].split(".")[-1]) for t in uncounted])
        for t in uncounted:
            schema.tables[t["name"]].row_estimate = counts[(t["schema"],
                                                            t["name"].split(".")[-1])]
    if conn is not None:
        read_objects(conn, schema, raw, namespaces)
    return schema


def _qualified(schema: str, name: str, namespaces: list[str] | None) -> str:
    return relation_name(schema, name, namespaces)


def read_objects(conn, schema: Schema, raw: dict, namespaces: list[str] | None = None) -> None:
    """Fill in what ``read_catalog`` leaves out: index keys, partitioning, inheritance, views'
    dependencies, triggers, and the schema-level objects (types, functions, sequences,
    extensions)."""
    by_oid = {oid: schema.tables[t["name"]] for oid, t in raw["tables"].items()}
    oids = list(by_oid)
    where, params = _ns_clause(namespaces)
    idx_of = {(t.name, i.name): i for t in schema.tables.values() for i in t.indexes}
    # index keys: DESC / NULLS / collation / operator class where not the default; INCLUDE
    for (relid, iname, k, nkey, text, attnum, option, opcname, opcdefault, collname,
         default_coll) in conn.execute(
            """SELECT i.indrelid, ic.relname, k.n, i.indnkeyatts,
                      pg_get_indexdef(i.indexrelid, k.n, true), i.indkey[k.n - 1],
                      i.indoption[k.n - 1], opc.opcname, opc.opcdefault, coll.collname,
                      coalesce(i.indcollation[k.n - 1] = coalesce(a.attcollation,
                               t.typcollation), true)
               FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
               CROSS JOIN LATERAL generate_series(1, i.indnatts) k(n)
               LEFT JOIN pg_opclass opc ON opc.oid = i.indclass[k.n - 1]
               LEFT JOIN pg_collation coll ON coll.oid = i.indcollation[k.n - 1]
               LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid
                                       AND a.attnum = i.indkey[k.n - 1]
               LEFT JOIN pg_type t ON t.oid = opc.opcintype
               WHERE i.indrelid = ANY(%s) ORDER BY i.indexrelid, k.n""", (oids,)):
        idx = idx_of.get((by_oid[relid].name, iname))
        if idx is None:
            continue
        text = _unquote(text)
        if k > nkey:
            idx.include.append(text)
            continue
        key = IndexKey(column=text) if attnum else IndexKey(expression=text)
        option = option or 0
        key.descending = bool(option & 1)
        nulls_first = bool(option & 2)
        if nulls_first != key.descending:
            key.nulls = "first" if nulls_first else "last"
        if opcname and not opcdefault:
            key.opclass = opcname
        if collname and not default_coll:
            key.collation = collname
        idx.keys.append(key)
    for relid, iname, attname in conn.execute(
            """SELECT i.indrelid, ic.relname, a.attname
               FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
               JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = i.indexrelid
                               AND d.refobjid = i.indrelid AND d.refobjsubid > 0
               JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = d.refobjsubid
               WHERE i.indrelid = ANY(%s) ORDER BY i.indexrelid, a.attnum""", (oids,)):
        idx = idx_of.get((by_oid[relid].name, iname))
        if idx is not None and attname not in idx.columns_used:
            idx.columns_used.append(attname)
    # partitioning and inheritance
    for relid, keydef in conn.execute(
            "SELECT c.oid, pg_get_partkeydef(c.oid) FROM pg_class c "
            "WHERE c.oid = ANY(%s) AND c.relkind = 'p'", (oids,)):
        strategy, _, rest = keydef.partition(" ")
        by_oid[relid].partitioning = Partitioning(
            strategy=strategy.lower(), key=[_unquote(k.strip()) for k in _split_commas(
                rest.strip()[1:-1])])
    for relid, parent, ispart, bound in conn.execute(
            """SELECT c.oid, h.inhparent, c.relispartition, pg_get_expr(c.relpartbound, c.oid)
               FROM pg_inherits h JOIN pg_class c ON c.oid = h.inhrelid
               WHERE c.oid = ANY(%s) ORDER BY c.oid, h.inhseqno""", (oids,)):
        if parent not in by_oid:
            continue
        if ispart:
            by_oid[relid].partition_of = by_oid[parent].name
            by_oid[relid].partition_bound = bound
        else:
            by_oid[relid].inherits.append(by_oid[parent].name)
    # views: definition and the columns they read (the rewrite rule's dependencies)
    for relid, definition, populated in conn.execute(
            "SELECT c.oid, pg_get_viewdef(c.oid, true), c.relispopulated FROM pg_class c "
            "WHERE c.oid = ANY(%s) AND c.relkind IN ('v', 'm')", (oids,)):
        by_oid[relid].definition = definition.strip()
        by_oid[relid].populated = populated
    for relid, ref, attname in conn.execute(
            """SELECT r.ev_class, d.refobjid, a.attname
               FROM pg_rewrite r
               JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
                               AND d.refclassid = 'pg_class'::regclass
               LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                                       AND d.refobjsubid > 0
               WHERE r.ev_class = ANY(%s) AND d.refobjid <> r.ev_class
               ORDER BY r.ev_class, d.refobjid, a.attnum""", (oids,)):
        view = by_oid[relid]
        if ref not in by_oid:
            continue
        use = ColumnUse(table=by_oid[ref].name, column=attname)
        if use not in view.depends_on:
            view.depends_on.append(use)
    for view in schema.tables.values():  # a relation read whole: only a bare entry is kept
        if view.is_view:
            with_cols = {u.table for u in view.depends_on if u.column}
            view.depends_on = [u for u in view.depends_on if u.column or u.table not in with_cols]
    # triggers (not the internal ones of foreign keys)
    for relid, name, tgtype, cols, fn, enabled, definition in conn.execute(
            """SELECT tg.tgrelid, tg.tgname, tg.tgtype,
                      ARRAY(SELECT a.attname FROM unnest(tg.tgattr) k(n)
                            JOIN pg_attribute a ON a.attrelid = tg.tgrelid AND a.attnum = k.n),
                      CASE WHEN fn.nspname = 'public' THEN p.proname
                           ELSE fn.nspname || '.' || p.proname END,
                      tg.tgenabled::text, pg_get_triggerdef(tg.oid, true)
               FROM pg_trigger tg JOIN pg_proc p ON p.oid = tg.tgfoid
               JOIN pg_namespace fn ON fn.oid = p.pronamespace
               WHERE NOT tg.tgisinternal AND tg.tgrelid = ANY(%s)
               ORDER BY tg.tgrelid, tg.tgname""", (oids,)):
        timing = "instead of" if tgtype & 64 else "before" if tgtype & 2 else "after"
        when = re.search(r"\bWHEN \((.*)\) EXECUTE ", definition)
        by_oid[relid].triggers.append(Trigger(
            name=name, table=by_oid[relid].name, timing=timing,
            events=[e for bit, e in ((4, "insert"), (8, "delete"), (16, "update"),
                                     (32, "truncate")) if tgtype & bit],
            columns=list(cols), level="row" if tgtype & 1 else "statement", function=fn,
            when=when.group(1) if when else None, enabled=enabled != "D",
            definition=definition))
    not_extension = ("NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.objid = {oid} "
                     "AND e.deptype = 'e')")
    # types: enums, domains, standalone composites, ranges
    for oid, ns, name, typtype, base, notnull, default, relkind in conn.execute(
            f"""SELECT t.oid, n.nspname, t.typname, t.typtype::text,
                       format_type(t.typbasetype, t.typtypmod), t.typnotnull, t.typdefault,
                       (SELECT c.relkind::text FROM pg_class c WHERE c.oid = t.typrelid)
                FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                WHERE t.typtype IN ('e', 'd', 'c', 'r') AND {where}
                  AND {not_extension.format(oid='t.oid')}""", params):
        if typtype == "c" and relkind != "c":
            continue  # the row type of a table
        qname = _qualified(ns, name, namespaces)
        kind = {"e": "enum", "d": "domain", "c": "composite", "r": "range"}[typtype]
        schema.types[qname] = UserType(name=qname, kind=kind, base_type=base if kind == "domain"
                                       else None, not_null=bool(notnull), default=default)
    types_by_name = schema.types
    for ns, name, label in conn.execute(
            f"""SELECT n.nspname, t.typname, e.enumlabel FROM pg_enum e
                JOIN pg_type t ON t.oid = e.enumtypid
                JOIN pg_namespace n ON n.oid = t.typnamespace WHERE {where}
                ORDER BY t.oid, e.enumsortorder""", params):
        t = types_by_name.get(_qualified(ns, name, namespaces))
        if t is not None:
            t.labels.append(label)
    for ns, name, check in conn.execute(
            f"""SELECT n.nspname, t.typname, pg_get_constraintdef(con.oid, true)
                FROM pg_constraint con JOIN pg_type t ON t.oid = con.contypid
                JOIN pg_namespace n ON n.oid = t.typnamespace
                WHERE con.contype = 'c' AND {where} ORDER BY con.conname""", params):
        t = types_by_name.get(_qualified(ns, name, namespaces))
        if t is not None:
            t.checks.append(_check_expression(check) or check)
    for ns, name, subtype in conn.execute(
            f"""SELECT n.nspname, t.typname, format_type(r.rngsubtype, NULL) FROM pg_range r
                JOIN pg_type t ON t.oid = r.rngtypid
                JOIN pg_namespace n ON n.oid = t.typnamespace WHERE {where}""", params):
        t = types_by_name.get(_qualified(ns, name, namespaces))
        if t is not None:
            t.base_type = subtype
    # functions and procedures (not those of extensions)
    for ns, name, sig, kind, returns, lang, body, definition in conn.execute(
            f"""SELECT n.nspname, p.proname, p.oid::regprocedure::text, p.prokind::text,
                       pg_get_function_result(p.oid), l.lanname, p.prosrc,
                       pg_get_functiondef(p.oid)
                FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                JOIN pg_language l ON l.oid = p.prolang
                WHERE p.prokind IN ('f', 'p') AND {where}
                  AND {not_extension.format(oid='p.oid')}""", params):
        qname = _qualified(ns, name, namespaces)
        schema.functions[sig] = Function(name=qname, signature=sig, returns=returns,
                                         kind="procedure" if kind == "p" else "function",
                                         language=lang, body=body, definition=definition)
    # sequences, and the column each belongs to (serial, identity, OWNED BY)
    for ns, name, typ, owner, col in conn.execute(
            f"""SELECT n.nspname, c.relname, format_type(s.seqtypid, NULL), d.refobjid, a.attname
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                JOIN pg_sequence s ON s.seqrelid = c.oid
                LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
                     AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
                     AND d.refobjsubid > 0
                LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                WHERE c.relkind = 'S' AND {where}""", params):
        qname = _qualified(ns, name, namespaces)
        owned = f"{by_oid[owner].name}.{col}" if owner in by_oid and col else None
        schema.sequences[qname] = Sequence(name=qname, type=typ, owned_by=owned)
    for name, version, ns in conn.execute(
            "SELECT e.extname, e.extversion, n.nspname FROM pg_extension e "
            "JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname <> 'plpgsql'"):
        schema.extensions[name] = Extension(name=name, version=version, schema_name=ns)


def _split_commas(text: str) -> list[str]:
    """Split on commas outside parentheses and quotes."""
    out, depth, cur, quote = [], 0, "", False
    for ch in text:
        if ch == "'" :
            quote = not quote
        elif not quote and ch == "," and depth == 0:
            out.append(cur)
            cur = ""
            continue
        elif not quote:
            depth += (ch == "(") - (ch == ")")
        cur += ch
    return out + [cur] if cur or out else []


def _row_estimate(table: dict) -> int | None:
    return int(table["reltuples"]) if table["reltuples"] >= 0 else None


def count_rows(conn, relations: list[tuple[str, ...]], *, limit: int | None = None,
               batch: int = 200) -> dict[tuple[str, ...], int]:
    """Row counts of relations named by their parts ((schema, table) where the session's
    search_path may not find them: a pg_dump preamble empties it), ``batch`` tables per
    query (UNION ALL); ``limit``: count at most that many rows of each."""
    from psycopg import sql

    out: dict[tuple[str, str], int] = {}
    for start in range(0, len(relations), batch):
        chunk = relations[start: start + batch]
        count = (sql.SQL("(SELECT count(*) FROM (SELECT 1 FROM {} LIMIT {}) s)") if limit
                 else sql.SQL("(SELECT count(*) FROM {})"))
        query = sql.SQL(" UNION ALL ").join(
            sql.SQL("SELECT {}, ").format(sql.Literal(i))
            + count.format(sql.Identifier(*rel), *([sql.Literal(limit)] if limit else []))
            for i, rel in enumerate(chunk))
        for i, n in conn.execute(query).fetchall():
            out[chunk[i]] = n
    return out


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
