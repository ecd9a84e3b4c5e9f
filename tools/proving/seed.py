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
    from migsmith.tools.spec.identifiers import quote_ident

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
            text = ("('user' || g || '@example.com')" if "email" in col.name.lower()
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


# ---------------------------------------------------------------------- other databases
def seed_rows(conn, schema: Schema, rows: int = 1000, *, placeholder: str = "?",
              quote: str = '"') -> dict[str, int]:
    """The same kind of rows for SQLite and MySQL (DB-API connection, autocommit), built in
    Python and inserted with executemany."""
    done: dict[str, int] = {}
    if rows <= 0:
        return done
    for table in fill_order(schema):
        refs = parents(schema, table)
        unique_cols = {c for con in table.constraints if con.kind in ("primary_key", "unique")
                       for c in con.columns}
        unique_cols |= {c for idx in table.indexes if idx.unique for c in idx.columns}
        columns, makers = [], []
        for col in table.columns:
            if col.name in refs and refs[col.name][0] != table.name:
                parent, parent_col = refs[col.name]
                cur = conn.cursor()
                cur.execute(f"SELECT {quote}{parent_col}{quote} FROM {quote}{parent}{quote} "
                            f"WHERE {quote}{parent_col}{quote} IS NOT NULL ORDER BY 1")
                keys = [r[0] for r in cur.fetchall()]
                if not keys:
                    continue
                makers.append(_pick(keys, col.nullable))
            else:
                maker = _python_value(col, unique=col.name in unique_cols)
                if maker is None:
                    if col.nullable or col.default is not None:
                        continue
                    raise SeedError(f"cannot generate values of type {col.type} for "
                                    f"{table.name}.{col.name}")
                makers.append(maker)
            columns.append(col.name)
        names = ", ".join(f"{quote}{c}{quote}" for c in columns)
        marks = ", ".join(placeholder for _ in columns)
        data = [tuple(m(i) for m in makers) for i in range(1, rows + 1)]
        cur = conn.cursor()
        try:
            cur.execute("BEGIN")
            cur.executemany(f"INSERT INTO {quote}{table.name}{quote} ({names}) VALUES ({marks})",
                            data)
            cur.execute("COMMIT")
        except Exception as exc:  # noqa: BLE001 - any driver's error, reported the same way
            cur.execute("ROLLBACK")
            raise SeedError(f"cannot generate sample rows for table {table.name}: "
                            f"{str(exc).splitlines()[0] if str(exc) else exc!r}",
                            hint="use --rows 0 to verify on empty tables") from None
        done[table.name] = rows
    return done


def _pick(keys: list, nullable: bool):
    return lambda i: None if nullable and i % 3 == 0 else keys[(i - 1) % len(keys)]


def _python_value(col: Column, *, unique: bool):
    """A function of the row number giving this column's value (None: cannot generate)."""
    import datetime as dt
    import json
    import uuid

    t = col.type.lower()
    length = re.search(r"\((\d+)\)", t)
    nullable_gap = col.nullable and not unique

    def gap(fn):
        return (lambda i: None if i % 3 == 0 else fn(i)) if nullable_gap else fn

    if t.startswith("enum("):
        labels = re.findall(r"'((?:[^']|'')*)'", col.type)
        return gap(lambda i: labels[i % len(labels)].replace("''", "'")) if labels else None
    if "bool" in t or t.startswith("tinyint(1)") or t == "bit(1)":
        return gap(lambda i: i % 2 == 0)
    if "int" in t:
        return gap(lambda i: i if unique else 1 + (i * 7) % 100)
    if any(k in t for k in ("char", "text", "clob", "string")) or t == "":
        n = int(length.group(1)) if length else None
        def text(i):
            v = f"user{i}@example.com" if "email" in col.name.lower() else f"{col.name} {i}"
            return (v[-n:] if unique else v[:n]) if n else v
        return gap(text)
    if "timestamp" in t or "datetime" in t:
        return gap(lambda i: (dt.datetime(2024, 1, 1) + dt.timedelta(hours=i)).isoformat(" "))
    if "date" in t:
        return gap(lambda i: (dt.date(2020, 1, 1) + dt.timedelta(days=i)).isoformat())
    if "time" in t:
        return gap(lambda i: f"{(i // 3600) % 24:02d}:{(i // 60) % 60:02d}:{i % 60:02d}")
    if any(k in t for k in ("real", "floa", "doub")):
        return gap(lambda i: i / 4)
    if any(k in t for k in ("dec", "num")):
        return gap(lambda i: i if unique else (i % 40) / 4)
    if "json" in t:
        return gap(lambda i: json.dumps({"n": i}))
    if "uuid" in t:
        return gap(lambda i: str(uuid.uuid5(uuid.NAMESPACE_OID, f"{col.name}{i}")))
    if "blob" in t or "binary" in t:
        return gap(lambda i: f"{col.name} {i}".encode())
    return None
