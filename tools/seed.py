"""Deterministic sample rows for a shadow database, so a plan is proven on data, not on
empty tables.

Values honour each column's type, NOT NULL, primary keys and unique constraints (every value
that could need to be unique includes the row number), and foreign keys (parents are filled
first and children pick existing parent keys). Nullable columns are NULL in every third row,
so predicates such as ``email_confirmed_at IS NOT NULL`` split the rows. The same schema and
row count always give the same rows.
"""

from __future__ import annotations

import re

from migsmith.tools.errors import MigsmithError
from migsmith.tools.schema.model import Column, Schema, Table


class SeedError(MigsmithError):
    """Sample rows could not be generated for a table."""


def seed_postgres(conn, schema: Schema, rows: int = 1000) -> dict[str, int]:
    """Insert ``rows`` rows into every table of ``schema`` (PostgreSQL); returns table -> rows."""
    import psycopg

    done: dict[str, int] = {}
    if rows <= 0:
        return done
    for table in fill_order(schema):
        for attempt in ("full", "sparse"):
            try:
                with conn.transaction():
                    _insert(conn, schema, table, rows, sparse=attempt == "sparse")
                break
            except psycopg.Error as exc:
                if attempt == "sparse":
                    first = str(exc).strip().splitlines()[0]
                    raise SeedError(f"cannot generate sample rows for table {table.name}: "
                                    f"{first}", hint="use --rows 0 to verify on empty tables"
                                    ) from None
        _reset_sequences(conn, table)
        done[table.name] = rows
    return done


def parents(schema: Schema, table: Table) -> dict[str, tuple[str, str]]:
    """column -> (parent table, parent column): declared single-column foreign keys, and the
    implied ones a plan may be about to declare (``post_id`` -> ``posts.id`` when ``posts``
    exists with an ``id`` key), so adding that foreign key is proven on consistent data."""
    out: dict[str, tuple[str, str]] = {}
    for con in table.constraints:
        if con.kind == "foreign_key" and len(con.columns) == 1 and con.ref_table:
            out[con.columns[0]] = (schema._key(con.ref_table), con.ref_columns[0])
    for col in table.columns:
        if col.name in out or not col.name.endswith("_id") or _type_kind(col.type) != "int":
            continue
        stem = col.name[:-3]
        for cand in (stem + "s", stem + "es", stem):
            if cand != table.name and schema.has_table(cand):
                parent = schema.table(cand)
                if parent.kind == "table" and parent.primary_key == ["id"]:
                    out[col.name] = (parent.name, "id")
                break
    return out


def fill_order(schema: Schema) -> list[Table]:
    """Tables with parents before children (foreign keys); cycles broken by name order."""
    tables = {name: t for name, t in schema.tables.items() if t.kind == "table"}
    order: list[Table] = []
    placed: set[str] = set()
    while len(placed) < len(tables):
        ready = [name for name in sorted(tables) if name not in placed and all(
            parent in placed or parent == name or parent not in tables
            for parent, _ in parents(schema, tables[name]).values())]
        if not ready:  # a cycle: take the first remaining table; its nullable keys start NULL
            ready = [next(name for name in sorted(tables) if name not in placed)]
        for name in ready:
            placed.add(name)
            order.append(tables[name])
    return order


def _q(name: str) -> str:
    from migsmith.tools.identifiers import quote_ident

    return quote_ident(name)


def _insert(conn, schema: Schema, table: Table, rows: int, *, sparse: bool) -> None:
    unique_cols = {c for con in table.constraints if con.kind in ("primary_key", "unique")
                   for c in con.columns}
    unique_cols |= {c for idx in table.indexes if idx.unique for c in idx.columns}
    fks = parents(schema, table)
    names, values = [], []
    for col in table.columns:
        if col.default and col.name not in fks and _type_kind(col.type) == "other":
            continue  # a type we cannot generate, with a default: let the default fill it
        expr = None
        if col.name in fks:
            expr = _fk_value(conn, schema, table, col, fks[col.name])
        if expr is None:
            expr = _value(conn, col, unique=col.name in unique_cols)
        if expr is None:
            if col.nullable:
                expr = "NULL"
            elif col.default:
                continue
            else:
                raise SeedError(f"cannot generate values of type {col.type} for "
                                f"{table.name}.{col.name}")
        key_like = col.name in unique_cols or col.name in fks
        if col.nullable and (sparse or not key_like) and expr != "NULL":
            expr = "NULL" if sparse and col.name not in fks else \
                f"CASE WHEN g % 3 = 0 THEN NULL ELSE {expr} END"
        names.append(_q(col.name))
        values.append(expr)
    if not names:
        conn.execute(f"INSERT INTO {_q(table.name)} SELECT FROM generate_series(1, {int(rows)})")
        return
    overriding = " OVERRIDING SYSTEM VALUE" if any(c.identity for c in table.columns) else ""
    conn.execute(f"INSERT INTO {_q(table.name)} ({', '.join(names)}){overriding}\n"
                 f"SELECT {', '.join(values)}\nFROM generate_series(1, {int(rows)}) AS g")


def _fk_value(conn, schema: Schema, table: Table, col: Column, ref: tuple[str, str]
              ) -> str | None:
    from psycopg import sql

    parent, parent_col = ref
    if parent == table.name or not schema.has_table(parent):
        return None if not col.nullable else "NULL"
    keys = [r[0] for r in conn.execute(
        f"SELECT {_q(parent_col)}::text FROM {_q(parent)} "
        f"WHERE {_q(parent_col)} IS NOT NULL ORDER BY 1 LIMIT 10000").fetchall()]
    if not keys:
        return None if not col.nullable else "NULL"
    array = sql.Literal(keys).as_string(conn)
    return f"(({array}::text[])[1 + (g - 1) % {len(keys)}])::{col.type}"


_INT = {"smallint", "integer", "bigint"}


def _type_kind(type_text: str) -> str:
    t = type_text.lower()
    base = re.sub(r"\(.*\)", "", t).strip()
    if t.endswith("[]"):
        return "array"
    if base in _INT:
        return "int"
    if base in ("numeric", "decimal"):
        return "numeric"
    if base in ("real", "double precision"):
        return "float"
    if base in ("text", "character varying", "character", "citext", "name"):
        return "text"
    if base == "boolean":
        return "bool"
    if base.startswith("timestamp"):
        return "timestamp"
    if base == "date":
        return "date"
    if base.startswith("time"):
        return "time"
    if base == "interval":
        return "interval"
    if base == "uuid":
        return "uuid"
    if base in ("json", "jsonb"):
        return "json"
    if base == "bytea":
        return "bytea"
    if base in ("inet", "cidr"):
        return "inet"
    return "other"


def _value(conn, col: Column, *, unique: bool) -> str | None:
    """A SQL expression of the row number ``g`` giving this column's value."""
    t = col.type
    kind = _type_kind(t)
    label = col.name.replace("'", "")
    match kind:
        case "int":
            # 1..100, not 0..99: an id-like column without a declared parent then still
            # points at rows that exist, so adding its foreign key is proven, not refused
            return "g" if unique else "1 + (g * 7) % 100"
        case "numeric":
            scale = re.search(r"\(\s*\d+\s*,\s*(\d+)\s*\)", t)
            return (f"g::{t}" if unique else
                    f"round(((g % 40) / 4.0)::numeric, {scale.group(1) if scale else 2})::{t}")
        case "float":
            return f"(g / 4.0)::{t}"
        case "text":
            text = (f"('user' || g || '@example.com')" if "email" in col.name.lower()
                    else f"('{label} ' || g)")
            length = re.search(r"\((\d+)\)", t)
            if length:
                n = int(length.group(1))
                text = f"right({text}, {n})" if unique else f"left({text}, {n})"
            return f"{text}::{t}"
        case "bool":
            return "(g % 2 = 0)"
        case "timestamp":
            return f"(timestamp '2024-01-01 00:00' + g * interval '1 hour')::{t}"
        case "date":
            return f"(date '2020-01-01' + g)::{t}"
        case "time":
            return f"(time '00:00' + g * interval '1 second')::{t}"
        case "interval":
            return "g * interval '1 minute'"
        case "uuid":
            return f"md5('{label}' || g)::uuid"
        case "json":
            return f"json_build_object('n', g)::{t}"
        case "bytea":
            return f"convert_to('{label} ' || g, 'UTF8')"
        case "inet":
            return f"('10.' || (g / 65536) % 256 || '.' || (g / 256) % 256 || '.' || g % 256)::{t}"
        case "array":
            return f"'{{}}'::{t}"
    row = conn.execute("SELECT typtype::text FROM pg_type WHERE oid = to_regtype(%s)",
                       (t,)).fetchone()
    if row and row[0] == "e":
        return (f"(enum_range(NULL::{t}))[1 + g % cardinality(enum_range(NULL::{t}))]")
    return None


def _reset_sequences(conn, table: Table) -> None:
    """Point serial/identity sequences past the inserted keys, so later inserts work."""
    for col in table.columns:
        if col.identity and _type_kind(col.type) == "int":
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, %s), max({_q(col.name)})) "
                f"FROM {_q(table.name)} HAVING max({_q(col.name)}) IS NOT NULL",
                (_q(table.name), col.name))
