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
from dataclasses import dataclass, field

from migsmith.tools.errors import MigsmithError
from migsmith.tools.schema.model import Column, Schema, Table


class SeedError(MigsmithError):
    """Sample rows could not be generated for a table."""


@dataclass
class SeedReport:
    """What seeding did: rows inserted per table, tables kept as the schema file filled them,
    and tables left empty with the exact reason (verification goes on without their rows)."""

    seeded: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)
    empty: dict[str, str] = field(default_factory=dict)

    def notes(self) -> list[str]:
        out = [f"table {t} left empty: {why}" for t, why in sorted(self.empty.items())]
        if self.kept:
            shown = ", ".join(f"{t} ({n})" for t, n in sorted(self.kept.items())[:5])
            more = f" and {len(self.kept) - 5} more" if len(self.kept) > 5 else ""
            out.append(f"kept the rows already there (inserted by the schema file or a "
                       f"trigger), no sample rows added: {shown}{more}")
        return out


# What a request takes as given about the rows already there: "make currency NOT NULL" says no
# row lacks one, "add a foreign key" that every row has its parent, "make it unique" that no
# two rows share a value. Sample rows that broke the premise would only prove that the plan's
# own precondition refuses them (its tests do that); rows that keep it prove the plan.
PREMISES = ("set_not_null", "add_foreign_key", "add_unique_constraint")


def premises(operations: list) -> list:
    """The operations of a spec whose premise the sample rows keep (a NOT NULL whose column
    the spec backfills first needs none: the plan fills the gaps itself)."""
    out = []
    for i, op in enumerate(operations):
        if op.op not in PREMISES and not (op.op == "add_index" and op.unique):
            continue
        earlier = operations[:i]
        if op.op == "set_not_null" and any(o.op == "backfill" and o.table == op.table
                                           and o.column == op.column for o in earlier):
            continue
        out.append(op)
    return out


def premised(schema: Schema, operations: list) -> Schema:
    """``schema`` (a fork) as the sample rows must see it: with the premises of ``operations``
    (``premises``) in force; one that does not apply to the start schema (its column comes
    with the spec) is left out."""
    from migsmith.tools.errors import SpecError
    from migsmith.tools.schema.evolve import apply
    from migsmith.tools.spec.changespec import Options

    state = schema.fork()
    for op in operations:
        if op.op == "add_index":
            op = op.model_copy(update={"name": op.name or "migsmith_premise"})
        try:
            apply(state, op, Options(dialect=schema.dialect))
        except SpecError:
            continue
    return state


def seed_postgres(conn, schema: Schema, rows: int = 1000) -> SeedReport:
    """Insert up to ``rows`` rows into every table of ``schema`` (PostgreSQL).

    Rows that would break a unique index (partial and expression ones too) are skipped
    (ON CONFLICT DO NOTHING); rows failing a CHECK are filtered out by the CHECK itself, and
    columns a CHECK limits to a list of values cycle through that list; a partitioned table
    gets rows inside each partition's bounds or list; generated columns are left to the
    database; foreign keys in a cycle are dropped while the rows go in and put back after
    (rows they would refuse are deleted first). A table that still cannot be filled is left
    empty and named in the report."""
    import psycopg

    report = SeedReport()
    if rows <= 0:
        return report
    existing = _existing_rows(conn, schema)
    order = [t for t in fill_order(schema) if not t.partition_of]
    filled: set[str] = set()
    pending = {t.name for t in order}  # tables whose turn has not come yet
    deferred: list[tuple[str, str, str]] = []  # (table, constraint, definition) to put back
    for table in order:
        pending.discard(table.name)
        if existing.get(table.name):
            report.kept[table.name] = existing[table.name]
            filled.add(table.name)
            continue
        error = None
        for attempt in ("full", "sparse"):
            try:
                with conn.transaction():
                    drops = _insert(conn, schema, table, rows, sparse=attempt == "sparse",
                                    filled=filled, pending=pending)
                    deferred += drops
                error = None
                break
            except (psycopg.Error, SeedError) as exc:
                error = exc
        if error is not None:
            report.empty[table.name] = _reason(error)
            continue
        filled.add(table.name)
        _reset_sequences(conn, table)
        report.seeded[table.name] = conn.execute(
            f"SELECT count(*) FROM {_q(table.name)}").fetchone()[0]
    for table, name, definition in deferred:
        _restore_foreign_key(conn, schema, table, name, definition, report)
    return report


def _reason(exc: Exception) -> str:
    text = getattr(exc, "message", None) or str(exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__


def _existing_rows(conn, schema: Schema) -> dict[str, int]:
    """Tables that hold rows already (the schema file inserts them)."""
    from migsmith.tools.schema.live_postgres import count_rows

    names = [t.name for t in schema.tables.values() if t.kind == "table" and not t.partition_of]
    # a few round trips; a table with no rows costs one page read
    counts = count_rows(conn, [tuple(n.split(".")) for n in names], limit=100000)
    return {n: counts[tuple(n.split("."))] for n in names if counts[tuple(n.split("."))]}


def _restore_foreign_key(conn, schema: Schema, table: str, name: str, definition: str,
                         report: SeedReport) -> None:
    """Put back a foreign key dropped while a cycle was filled, deleting the rows it refuses."""
    import psycopg

    con = schema.table(table).constraint_named(name)
    if con is not None and con.ref_table and con.columns:
        # rows pointing at parent keys that never came: point them at an existing key, or
        # (when that breaks something else) delete them
        match = " AND ".join(f"p.{_q(rc)} = c.{_q(cc)}"
                             for cc, rc in zip(con.columns, con.ref_columns))
        orphan = (" AND ".join(f"c.{_q(cc)} IS NOT NULL" for cc in con.columns)
                  + f" AND NOT EXISTS (SELECT 1 FROM {_q(con.ref_table)} p WHERE {match})")
        sets = ", ".join(f"{_q(cc)} = (SELECT p.{_q(rc)} FROM {_q(con.ref_table)} p "
                         f"ORDER BY 1 LIMIT 1)" for cc, rc in zip(con.columns, con.ref_columns))
        for fix in (f"UPDATE {_q(table)} c SET {sets} WHERE {orphan}",
                    f"DELETE FROM {_q(table)} c WHERE {orphan}"):
            try:
                with conn.transaction():
                    conn.execute(fix)
                break
            except psycopg.Error:
                continue
    try:
        with conn.transaction():
            conn.execute(f"ALTER TABLE {_q(table)} ADD CONSTRAINT {_q(name)} {definition}")
    except psycopg.Error as exc:  # the schema must come back whole: say so loudly
        raise SeedError(f"cannot put back foreign key {name} on {table} after seeding: "
                        f"{_reason(exc)}") from None
    if table in report.seeded:
        report.seeded[table] = conn.execute(f"SELECT count(*) FROM {_q(table)}").fetchone()[0]


def parents(schema: Schema, table: Table) -> dict[str, tuple[str, str]]:
    """column -> (parent table, parent column): single-column foreign keys (those a plan is
    about to add too: ``premised``, so adding one is proven on consistent data)."""
    return {con.columns[0]: (schema._key(con.ref_table), con.ref_columns[0])
            for con in table.constraints
            if con.kind == "foreign_key" and len(con.columns) == 1 and con.ref_table}


def _parent_tables(schema: Schema, table: Table) -> set[str]:
    """Every table ``table`` points at: single- and multi-column foreign keys."""
    out = {p for p, _ in parents(schema, table).values()}
    out |= {schema._key(c.ref_table) for c in table.constraints
            if c.kind == "foreign_key" and c.ref_table}
    # a table another table's trigger writes into is filled after it (the trigger fills it,
    # and rows of ours would collide with the trigger's)
    for other in schema.tables.values():
        for trig in other.triggers:
            body = trig.body or (schema.functions.get(f"{trig.function}()").body
                                 if trig.function and f"{trig.function}()" in schema.functions
                                 else "") or ""
            for target in _INSERT_INTO.findall(body):
                if target.lower() == table.name.lower() and other.name != table.name:
                    out.add(other.name)
    return out


_INSERT_INTO = re.compile(r"\bINSERT\s+(?:IGNORE\s+|OR\s+\w+\s+)?INTO\s+[`\"]?(?:\w+[`\"]?\.[`\"]?)?"
                          r"(\w+)", re.IGNORECASE)


def fill_order(schema: Schema) -> list[Table]:
    """Tables with parents before children (foreign keys); cycles broken by name order."""
    tables = {name: t for name, t in schema.tables.items() if t.kind == "table"}
    order: list[Table] = []
    placed: set[str] = set()
    while len(placed) < len(tables):
        ready = [name for name in sorted(tables) if name not in placed and all(
            parent in placed or parent == name or parent not in tables
            for parent in _parent_tables(schema, tables[name]))]
        if not ready:  # a cycle: take the first remaining table; its nullable keys start NULL
            ready = [next(name for name in sorted(tables) if name not in placed)]
        for name in ready:
            placed.add(name)
            order.append(tables[name])
    return order


def _q(name: str) -> str:
    from migsmith.tools.spec.identifiers import quote_ident

    return quote_ident(name)


def _insert(conn, schema: Schema, table: Table, rows: int, *, sparse: bool,
            filled: set[str], pending: set[str]) -> list[tuple[str, str, str]]:
    """Fill one table; returns the foreign keys it dropped to do so (a cycle), to put back."""
    unique_cols = {c for con in table.constraints if con.kind in ("primary_key", "unique")
                   for c in con.columns}
    unique_cols |= {c for idx in table.indexes if idx.unique
                    for c in (idx.columns_used or idx.columns)}
    fks = parents(schema, table)
    allowed = _check_lists(table)
    keys = _partition_keys(conn, schema, table)
    keys.update(_composite_keys(conn, schema, table, filled))
    dropped: list[tuple[str, str, str]] = []
    names, values = [], []
    for col in table.columns:
        if col.generated:
            continue  # the database computes it
        if col.default and col.name not in fks and _type_kind(col.type) == "other" \
                and col.name not in allowed and col.name not in keys:
            continue  # a type we cannot generate, with a default: let the default fill it
        expr = None
        if col.name in keys:
            expr = keys[col.name]
        elif col.name in allowed:
            expr = _cycle(allowed[col.name], col.type)
        elif col.name in fks:
            parent = fks[col.name][0]
            if parent in pending and not col.nullable:  # a cycle: its parent comes later
                dropped += _drop_foreign_keys(conn, table, col.name)
                expr = _value(conn, col, unique=col.name in unique_cols)
            else:
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
                                f"{table.name}.{col.name} (NOT NULL, no default)")
        key_like = col.name in unique_cols or col.name in fks or col.name in keys
        if col.nullable and (sparse or not key_like) and expr != "NULL":
            expr = "NULL" if sparse and col.name not in fks and col.name not in keys else \
                f"CASE WHEN g % 3 = 0 THEN NULL ELSE {expr} END"
        names.append(col.name)
        values.append(expr)
    target = _q(table.name)
    if not names:
        conn.execute(f"INSERT INTO {target} SELECT FROM generate_series(1, {int(rows)})")
        return dropped
    overriding = " OVERRIDING SYSTEM VALUE" if any(c.identity for c in table.columns) else ""
    checks = [c.expression for c in table.constraints if c.kind == "check" and c.expression
              and set(_referenced_columns(c.expression)) <= set(names)]
    where = (" WHERE " + " AND ".join(f"({e}) IS NOT FALSE" for e in checks)) if checks else ""
    types = {c.name: c.type for c in table.columns}
    # typed in the subquery: a column that is NULL in every row would be text there
    select = ", ".join(f"CAST({v} AS {types[n]}) AS {_q(n)}" for n, v in zip(names, values))
    quoted = ", ".join(_q(n) for n in names)
    rules = conn.execute("SELECT EXISTS (SELECT 1 FROM pg_rewrite WHERE ev_class = "
                         "to_regclass(%s) AND rulename <> '_RETURN')", (target,)).fetchone()[0]
    conn.execute(f"INSERT INTO {target} ({quoted}){overriding}\n"
                 f"SELECT {quoted} FROM (SELECT {select}\n"
                 f"FROM generate_series(1, {int(rows)}) AS g) AS s{where}\n"
                 + ("" if rules else "ON CONFLICT DO NOTHING"))  # not allowed with rules
    return dropped


def _composite_keys(conn, schema: Schema, table: Table, filled: set[str]) -> dict[str, str]:
    """column -> expression, for multi-column foreign keys: row ``g`` takes every column of
    one existing parent key (tuple by tuple, so the key exists)."""
    from psycopg import sql

    out: dict[str, str] = {}
    for con in table.constraints:
        if con.kind != "foreign_key" or len(con.columns) < 2 or not con.ref_table:
            continue
        parent = schema._key(con.ref_table)
        if parent not in filled or parent == table.name:
            continue
        cols = ", ".join(f"{_q(c)}::text" for c in con.ref_columns)
        nonnull = " AND ".join(f"{_q(c)} IS NOT NULL" for c in con.ref_columns)
        tuples = conn.execute(f"SELECT {cols} FROM {_q(parent)} WHERE {nonnull} "
                              "ORDER BY 1 LIMIT 10000").fetchall()
        if not tuples:
            continue
        types = {c.name: c.type for c in table.columns}
        for i, col in enumerate(con.columns):
            array = sql.Literal([t[i] for t in tuples]).as_string(conn)
            out[col] = f"(({array}::text[])[1 + (g - 1) % {len(tuples)}])::{types[col]}"
    return out


def _drop_foreign_keys(conn, table: Table, column: str) -> list[tuple[str, str, str]]:
    """Drop the foreign keys on ``column`` (their definitions, to put back after the cycle
    is filled)."""
    out = []
    for con in table.constraints:
        if con.kind == "foreign_key" and column in con.columns:
            definition = conn.execute(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = %s "
                "AND conrelid = to_regclass(%s)", (con.name, _q(table.name))).fetchone()
            if definition:
                conn.execute(f"ALTER TABLE {_q(table.name)} DROP CONSTRAINT {_q(con.name)}")
                out.append((table.name, con.name, definition[0]))
    return out


def _referenced_columns(expression: str) -> list[str]:
    """Column names an expression reads, or a name no table has when it does not parse (a
    CHECK pglast cannot read filters nothing)."""
    from migsmith.tools.spec.expressions import column_refs

    try:
        return column_refs(expression)
    except Exception:  # noqa: BLE001 - pglast's ParseError and the like
        return ["\0"]


def _check_lists(table: Table) -> dict[str, list[str]]:
    """column -> the literal values a CHECK allows it (``col IN (...)``, ``col = ANY
    (ARRAY[...])``, ``col = 'a' OR col = 'b'``), as SQL literals from the check's own text."""
    from pglast import ast, parse_sql

    from migsmith.tools.spec.expressions import deparse

    out: dict[str, list[str]] = {}
    for con in table.constraints:
        if con.kind != "check" or not con.expression:
            continue
        try:
            node = parse_sql(f"SELECT {con.expression}")[0].stmt.targetList[0].val
        except Exception:  # noqa: BLE001
            continue
        found: dict[str, list[str]] = {}

        def consts(n) -> list[str] | None:
            while isinstance(n, ast.TypeCast):
                n = n.arg
            if isinstance(n, ast.A_Const):
                return [deparse(n)]
            if isinstance(n, ast.A_ArrayExpr):
                vals = [consts(e) for e in n.elements or ()]
                return None if any(v is None for v in vals) else [x for v in vals for x in v]
            if isinstance(n, tuple):
                vals = [consts(e) for e in n]
                return None if any(v is None for v in vals) else [x for v in vals for x in v]
            return None

        def column(n) -> str | None:
            while isinstance(n, ast.TypeCast):
                n = n.arg
            if isinstance(n, ast.ColumnRef) and isinstance(n.fields[-1], ast.String):
                return n.fields[-1].sval
            return None

        def visit(n) -> bool:
            if isinstance(n, ast.BoolExpr) and n.boolop.name == "OR_EXPR":
                return all(visit(a) for a in n.args)
            if isinstance(n, ast.A_Expr) and n.name and n.name[-1].sval == "=":
                col, vals = column(n.lexpr), consts(n.rexpr)
                if col and vals:
                    found.setdefault(col, []).extend(vals)
                    return True
            return False

        if isinstance(node, ast.BoolExpr) and node.boolop.name == "AND_EXPR":
            parts = node.args
        else:
            parts = (node,)
        for part in parts:
            found.clear()
            if visit(part) and len(found) == 1:
                (col, vals), = found.items()
                out.setdefault(col, vals)
    return out


def _cycle(literals: list[str], type_text: str) -> str:
    return (f"(ARRAY[{', '.join(literals)}])[1 + (g - 1) % {len(literals)}]::{type_text}")


def _partition_keys(conn, schema: Schema, table: Table) -> dict[str, str]:
    """For a partitioned table: column -> an expression of ``g`` that sends row ``g`` to one
    of its partitions (a value of a LIST, the lower bound of a RANGE; every row into a
    bounded partition, none into DEFAULT, HASH left to the hash)."""
    if table.partitioning is None:
        return {}
    leaves = _leaves(schema, table.name, {})
    choices: list[dict[str, str]] = [ch for ch in leaves if ch]
    if not choices:
        return {}
    cols = sorted({c for ch in choices for c in ch})
    out = {}
    types = {c.name: c.type for c in table.columns}
    for col in cols:
        vals = [ch.get(col) for ch in choices]
        if any(v is None for v in vals):
            vals = [v for v in vals if v is not None]
        if not vals or col not in types:
            continue
        out[col] = _cycle(vals, types[col])
    return out if len(out) == len(cols) else {}


def _leaves(schema: Schema, name: str, above: dict[str, str]) -> list[dict[str, str]]:
    """Per leaf partition under ``name``: column -> a literal inside its bounds."""
    parent = schema.table(name)
    parts = schema.partitions_of(name)
    if not parts:
        return [above]
    key = parent.partitioning.key if parent.partitioning else []
    out = []
    for part in sorted(parts, key=lambda t: t.name):
        pick = _bound_value(part.partition_bound or "", key)
        if pick is None:
            continue  # DEFAULT, HASH, or bounds we cannot read: rows go elsewhere
        out += _leaves(schema, part.name, {**above, **pick})
    return out


def _bound_value(bound: str, key: list[str]) -> dict[str, str] | None:
    from migsmith.tools.schema.live_postgres import _split_commas

    m = re.match(r"FOR VALUES IN \((.*)\)\s*$", bound, re.S)
    if m and len(key) == 1:
        vals = [v.strip() for v in _split_commas(m.group(1)) if v.strip().upper() != "NULL"]
        return {key[0]: vals[0]} if vals else None
    m = re.match(r"FOR VALUES FROM \((.*)\) TO \((.*)\)\s*$", bound, re.S)
    if m:
        lows = [v.strip() for v in _split_commas(m.group(1))]
        if any(v.upper() in ("MINVALUE", "MAXVALUE") for v in lows) or len(lows) != len(key):
            return None
        # the lower bound is inside the range; later key columns only matter on a tie
        return {k: v for k, v in zip(key, lows)}
    return None


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
    return _value_of_kind(conn, col, kind, label, unique)


_RANGES = {"int4range": ("g", "g + 10"), "int8range": ("g", "g + 10"),
           "numrange": ("g", "g + 10"), "daterange": ("date '2020-01-01' + g",
                                                       "date '2020-01-01' + g + 7"),
           "tsrange": ("timestamp '2024-01-01' + g * interval '1 hour'",
                       "timestamp '2024-01-01' + (g + 1) * interval '1 hour'"),
           "tstzrange": ("timestamptz '2024-01-01' + g * interval '1 hour'",
                         "timestamptz '2024-01-01' + (g + 1) * interval '1 hour'")}


def _value_of_kind(conn, col: Column, kind: str, label: str, unique: bool) -> str | None:
    """Values of the types beyond the everyday ones: arrays, ranges, full-text, network,
    geometric and extension types, enums and domains (asking the catalog what they are)."""
    t = col.type
    base = re.sub(r"\(.*\)", "", t.lower()).strip()
    if kind == "array":
        elem = _value(conn, Column(name=col.name, type=t[:-2]), unique=unique)
        return f"ARRAY[{elem}]::{t}" if elem else f"'{{}}'::{t}"
    if base in _RANGES:
        low, high = _RANGES[base]
        return f"{base}({low}, {high})"
    simple = {
        "tsvector": f"to_tsvector('simple', '{label} ' || g)",
        "tsquery": f"plainto_tsquery('simple', '{label} ' || g)",
        "money": "(g)::numeric::money",
        "xml": f"xmlelement(name v, g)::{t}",
        "point": "point(g, g)",
        "macaddr": "(lpad(to_hex(g % 256), 2, '0') || ':00:00:00:00:'"
                   " || lpad(to_hex((g / 256) % 256), 2, '0'))::macaddr",
        "hstore": "('n=>' || g)::hstore",
        "ltree": "('n.' || g)::ltree",
        "oid": "g::oid",
    }
    if base in simple:
        return simple[base]
    if base in ("bit", "bit varying", "varbit"):
        return f"(g % 2)::int::bit(1)::{t}" if "varying" in base or base == "varbit" else \
            f"(g)::int::{t}"
    if base in ("geometry", "geography"):
        return _geometry(t)
    if base == "vector":
        dims = re.search(r"\((\d+)\)", t)
        n = int(dims.group(1)) if dims else 3
        return (f"('[' || array_to_string(array_fill((g % 10)::float8, ARRAY[{n}]), ',') "
                f"|| ']')::{t}")
    row = conn.execute(
        "SELECT typtype::text, format_type(typbasetype, typtypmod), "
        "ARRAY(SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c "
        "      WHERE c.contypid = t.oid AND c.contype = 'c') "
        "FROM pg_type t WHERE oid = to_regtype(%s)", (t,)).fetchone()
    if not row:
        return None
    typtype, base_type, checks = row
    if typtype == "e":
        return (f"(enum_range(NULL::{t}))[1 + g % cardinality(enum_range(NULL::{t}))]")
    if typtype == "d":
        inner = _value(conn, Column(name=col.name, type=base_type), unique=unique)
        if inner is None:
            return None
        if not checks:
            return f"({inner})::{t}"
        return _domain_values(conn, t, inner, checks)
    return None


_WKT = {"point": "POINT(' || g % 90 || ' ' || g % 90 || ')",
        "linestring": "LINESTRING(0 0, ' || g % 90 || ' 1)",
        "polygon": "POLYGON((0 0, ' || 1 + g % 80 || ' 0, 1 1, 0 1, 0 0))"}


def _geometry(type_text: str) -> str:
    """PostGIS values: a small shape of the column's geometry type, in its SRID."""
    m = re.search(r"\(\s*(\w+)\s*(?:,\s*(\d+))?\s*\)", type_text)
    kind = (m.group(1).lower() if m else "point").removesuffix("z").removesuffix("m")
    srid = m.group(2) if m and m.group(2) else "0"
    multi = kind.startswith("multi")
    wkt = _WKT.get(kind.removeprefix("multi"), _WKT["point"])
    if multi:
        inner = wkt[wkt.index("("):]
        wkt = f"MULTI{kind.removeprefix('multi').upper()}({inner})"
    geo = "ST_GeogFromText" if type_text.lower().startswith("geography") else "ST_GeomFromText"
    args = f"'SRID={srid};{wkt}'" if geo == "ST_GeogFromText" else f"'{wkt}', {srid}"
    return f"{geo}({args})::{type_text}"


def _domain_values(conn, type_text: str, base_expr: str, checks: list[str]) -> str | None:
    """Values of a domain with CHECKs: the candidates ``base_expr`` gives for the first rows
    that pass the checks (asked of the database), cycled."""
    value = re.compile(r"\bVALUE\b", re.IGNORECASE)
    conds = " AND ".join("(" + value.sub("s.v", c[5:].strip()) + ") IS NOT FALSE"
                         for c in checks if c.upper().startswith("CHECK"))
    literals = conn.execute(
        f"SELECT array_agg(quote_literal(v::text)) FROM (SELECT ({base_expr}) AS v "
        f"FROM generate_series(1, 500) g) s WHERE {conds or 'true'}").fetchone()[0]
    if not literals:
        return None
    return _cycle(literals[:200], type_text)


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
              quote: str = '"') -> SeedReport:
    """The same kind of rows for SQLite and MySQL (DB-API connection, autocommit), built in
    Python and inserted with executemany: INSERT IGNORE / INSERT OR IGNORE skips the rows a
    unique index or CHECK refuses; columns a CHECK limits to a list cycle through it; tables
    the file already fills are kept; on MySQL, foreign keys are not checked while the rows go
    in, so a cycle of NOT NULL keys can be filled (children pick keys the parents have or
    will have); a table that still cannot be filled is left empty and named."""
    report = SeedReport()
    if rows <= 0:
        return report
    mysql = placeholder == "%s"
    order = fill_order(schema)
    pending = {t.name for t in order}
    cur = conn.cursor()
    if mysql:
        cur.execute("SET FOREIGN_KEY_CHECKS = 0")
    try:
        for table in order:
            pending.discard(table.name)
            cur.execute(f"SELECT count(*) FROM {quote}{table.name}{quote}")
            existing = cur.fetchone()[0]
            if existing:
                report.kept[table.name] = existing
                continue
            try:
                report.seeded[table.name] = _seed_table(conn, schema, table, rows, placeholder,
                                                        quote, pending, mysql)
            except SeedError as exc:
                report.empty[table.name] = exc.message
    finally:
        if mysql:
            cur.execute("SET FOREIGN_KEY_CHECKS = 1")
    return report


def _seed_table(conn, schema: Schema, table: Table, rows: int, placeholder: str, quote: str,
                pending: set[str], mysql: bool) -> int:
    refs = parents(schema, table)
    unique_cols = {c for con in table.constraints if con.kind in ("primary_key", "unique")
                   for c in con.columns}
    unique_cols |= {c for idx in table.indexes if idx.unique for c in idx.columns}
    allowed = _python_check_lists(table, schema.dialect)
    columns, makers = [], []
    for col in table.columns:
        if col.generated:
            continue
        if col.name in allowed:
            makers.append(_cycle_python(allowed[col.name], col.nullable))
        elif col.name in refs and refs[col.name][0] != table.name:
            parent, parent_col = refs[col.name]
            if parent in pending:  # a cycle: the keys the parent will have are 1..rows
                if col.nullable or _python_value(col, unique=True) is None:
                    continue
                makers.append(lambda i, n=rows: 1 + (i - 1) % n)
            else:
                cur = conn.cursor()
                cur.execute(f"SELECT {quote}{parent_col}{quote} FROM {quote}{parent}{quote} "
                            f"WHERE {quote}{parent_col}{quote} IS NOT NULL ORDER BY 1")
                keys = [r[0] for r in cur.fetchall()]
                if not keys:
                    if col.nullable or col.default is not None:
                        continue
                    raise SeedError(f"{table.name}.{col.name} must point at a row of {parent}, "
                                    "which has none")
                makers.append(_pick(keys, col.nullable))
        else:
            maker = _python_value(col, unique=col.name in unique_cols)
            if maker is None:
                if col.nullable or col.default is not None or col.identity:
                    continue
                raise SeedError(f"cannot generate values of type {col.type} for "
                                f"{table.name}.{col.name} (NOT NULL, no default)")
            makers.append(maker)
        columns.append(col.name)
    names = ", ".join(f"{quote}{c}{quote}" for c in columns)
    marks = ", ".join(placeholder for _ in columns)
    data = [tuple(m(i) for m in makers) for i in range(1, rows + 1)]
    ignore = "INSERT IGNORE" if mysql else "INSERT OR IGNORE"
    cur = conn.cursor()
    try:
        cur.execute("BEGIN")
        if columns:
            cur.executemany(f"{ignore} INTO {quote}{table.name}{quote} ({names}) VALUES "
                            f"({marks})", data)
        else:
            cur.executemany(f"INSERT INTO {quote}{table.name}{quote} DEFAULT VALUES", [()] * rows)
        cur.execute("COMMIT")
    except Exception as exc:  # noqa: BLE001 - any driver's error, reported the same way
        cur.execute("ROLLBACK")
        raise SeedError(f"{str(exc).splitlines()[0] if str(exc) else exc!r}") from None
    cur.execute(f"SELECT count(*) FROM {quote}{table.name}{quote}")
    return cur.fetchone()[0]


def _python_check_lists(table: Table, dialect: str) -> dict[str, list]:
    """column -> the literal values a CHECK lists for it (``col IN (...)``), via sqlglot."""
    import sqlglot
    from sqlglot import exp

    out: dict[str, list] = {}
    for con in table.constraints:
        if con.kind != "check" or not con.expression:
            continue
        try:
            node = sqlglot.parse_one(con.expression, read="mysql" if dialect == "mysql"
                                     else "sqlite")
        except Exception:  # noqa: BLE001
            continue
        for part in node.flatten() if isinstance(node, exp.And) else [node]:
            if isinstance(part, exp.Paren):
                part = part.this
            if isinstance(part, exp.In) and isinstance(part.this, exp.Column) and all(
                    isinstance(e, exp.Literal) for e in part.expressions):
                out.setdefault(part.this.name, [
                    e.this if e.is_string else float(e.this) if "." in e.this else int(e.this)
                    for e in part.expressions])
    return out


def _cycle_python(values: list, nullable: bool):
    return lambda i: values[(i - 1) % len(values)]


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

    if t.startswith("set("):
        labels = re.findall(r"'((?:[^']|'')*)'", col.type)
        return gap(lambda i: labels[i % len(labels)].replace("''", "'")) if labels else None
    if t.startswith("year"):
        return gap(lambda i: 1901 + i % 250)
    if t.startswith("bit("):
        return gap(lambda i: i % 2)
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
