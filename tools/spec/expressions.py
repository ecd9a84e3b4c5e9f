"""Checking the SQL fragments a spec carries (defaults, predicates, backfill values, types).

A spec may hold user text in a few places: a column type, a default, a CHECK expression, a
partial-index predicate, a backfill value. None of it is pasted into SQL as given. Each fragment
is parsed by the real parser of its dialect (pglast for PostgreSQL, sqlglot otherwise), must be
exactly one expression (no statement separators, no data-modifying subqueries, no side-effecting
functions), and is re-emitted from the parse tree, so what reaches the migration is canonical.
"""

from __future__ import annotations

from functools import lru_cache

from migsmith.tools.errors import SpecError

# Functions that change state or reach outside the database: never acceptable in a migration
# expression that runs once per row.
FORBIDDEN_FUNCTIONS = {
    "pg_terminate_backend", "pg_cancel_backend", "pg_reload_conf", "pg_rotate_logfile",
    "pg_promote", "set_config", "pg_read_file", "pg_read_binary_file", "pg_ls_dir",
    "pg_stat_file", "lo_import", "lo_export", "lo_unlink", "dblink", "dblink_exec",
    "pg_advisory_lock", "pg_sleep", "pg_sleep_for", "pg_sleep_until", "query_to_xml",
    "pg_logical_emit_message", "txid_current", "pg_switch_wal", "load_file", "sleep",
    "benchmark", "sys_exec", "sys_eval",
}

# Volatile functions: a column default using one is evaluated per row, so PostgreSQL must
# rewrite the table to add such a column (the "fast default" of PG 11+ needs a non-volatile one).
VOLATILE_FUNCTIONS = {
    "random", "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4",
    "clock_timestamp", "timeofday", "nextval", "setval", "statement_timestamp", "uuid",
    "uuid_generate_v7", "uuidv7", "uuidv4", "random_normal", "gen_random_bytes",
}

# PostgreSQL internal type names -> the names format_type() prints, so that a type read from a
# DDL file and one read from the catalog compare equal.
_PG_TYPE_NAMES = {
    "int2": "smallint", "int4": "integer", "int8": "bigint", "int": "integer",
    "float4": "real", "float8": "double precision", "bool": "boolean",
    "varchar": "character varying", "bpchar": "character", "char": "character",
    "timestamp": "timestamp without time zone", "timestamptz": "timestamp with time zone",
    "time": "time without time zone", "timetz": "time with time zone",
    "decimal": "numeric", "serial4": "serial", "serial8": "bigserial", "serial2": "smallserial",
    "varbit": "bit varying",
}


def _pg_parse(sql: str):
    from pglast import parse_sql
    from pglast.parser import ParseError

    try:
        return parse_sql(sql)
    except ParseError as exc:
        raise SpecError(f"does not parse as PostgreSQL: {exc.args[0]}") from None


def _walk(node):
    """Yield every pglast node below ``node`` (inclusive)."""
    from pglast.ast import Node

    stack = [node]
    while stack:
        cur = stack.pop()
        if isinstance(cur, (list, tuple)):
            stack.extend(cur)
        elif isinstance(cur, Node):
            yield cur
            for attr in cur:
                stack.append(getattr(cur, attr))


def _function_names(node) -> set[str]:
    from pglast import ast

    names = set()
    for sub in _walk(node):
        if isinstance(sub, ast.FuncCall):
            names.add(sub.funcname[-1].sval.lower())
        elif isinstance(sub, ast.SQLValueFunction):
            pass  # CURRENT_TIMESTAMP and friends: stable, harmless
    return names


def _reject_unsafe(node, text: str, what: str) -> None:
    from pglast import ast

    for sub in _walk(node):
        if isinstance(sub, (ast.InsertStmt, ast.UpdateStmt, ast.DeleteStmt)):
            raise SpecError(f"{what} {text!r} modifies data; only plain expressions are allowed")
    bad = _function_names(node) & FORBIDDEN_FUNCTIONS
    if bad:
        raise SpecError(f"{what} {text!r} calls {', '.join(sorted(bad))}, which is not allowed "
                        "in a migration expression")


def deparse(node) -> str:
    """SQL text of a pglast node, SQL-syntax functions kept as such (NORMALIZE(x, NFKC), not
    pg_catalog.normalize(x, 'NFKC')): an index or view re-created from it then reads back
    from the catalog exactly as the original did."""
    from pglast.stream import RawStream

    return RawStream(special_functions=True)(node)


@lru_cache(maxsize=4096)
def check_expression(text: str, dialect: str = "postgres", *, what: str = "expression") -> str:
    """Validate one scalar SQL expression and return its canonical text."""
    if not isinstance(text, str) or not text.strip():
        raise SpecError(f"{what} is empty")
    if ";" in text and dialect != "postgres":
        raise SpecError(f"{what} {text!r} contains ';': only a single expression is allowed")
    if dialect == "postgres":
        try:
            stmts = _pg_parse(f"SELECT ({text})")
        except SpecError as exc:
            raise SpecError(f"{what} {text!r} {exc.message}") from None
        if len(stmts) != 1:
            raise SpecError(f"{what} {text!r} is more than one statement")
        select = stmts[0].stmt
        if (select.fromClause or select.whereClause or not select.targetList
                or len(select.targetList) != 1 or select.withClause):
            raise SpecError(f"{what} {text!r} is not a single expression")
        expr = select.targetList[0].val
        _reject_unsafe(expr, text, what)
        return deparse(expr)
    return _sqlglot_expression(text, dialect, what)


def _sqlglot_expression(text: str, dialect: str, what: str) -> str:
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError

    read = "mysql" if dialect == "mysql" else dialect
    try:
        tree = sqlglot.parse_one(f"SELECT {text}", read=read)
    except ParseError as exc:
        raise SpecError(f"{what} {text!r} does not parse: {str(exc).splitlines()[0]}") from None
    if not isinstance(tree, exp.Select) or len(tree.expressions) != 1 or tree.args.get("from"):
        raise SpecError(f"{what} {text!r} is not a single expression")
    node = tree.expressions[0]
    for sub in node.walk():
        if isinstance(sub, (exp.Insert, exp.Update, exp.Delete, exp.Command)):
            raise SpecError(f"{what} {text!r} modifies data; only plain expressions are allowed")
        if isinstance(sub, exp.Anonymous) and str(sub.this).lower() in FORBIDDEN_FUNCTIONS:
            raise SpecError(f"{what} {text!r} calls {sub.this}, which is not allowed")
    return node.sql(dialect=read)


def is_volatile(expression: str | None, dialect: str = "postgres") -> bool:
    """Whether a (checked) expression calls a volatile function."""
    if not expression:
        return False
    if dialect == "postgres":
        stmts = _pg_parse(f"SELECT ({expression})")
        return bool(_function_names(stmts[0].stmt) & VOLATILE_FUNCTIONS)
    lowered = expression.lower()
    return any(f"{fn}(" in lowered for fn in VOLATILE_FUNCTIONS)


@lru_cache(maxsize=4096)
def check_type(text: str, dialect: str = "postgres") -> str:
    """Validate a column type and return it as the catalog would print it."""
    if not isinstance(text, str) or not text.strip():
        raise SpecError("column type is empty")
    if dialect != "postgres":
        from sqlglot import exp
        from sqlglot.errors import ParseError

        if ";" in text or "--" in text:
            raise SpecError(f"column type {text!r} is not a type")
        try:
            dtype = exp.DataType.build(text, dialect="mysql" if dialect == "mysql" else dialect)
        except (ParseError, ValueError) as exc:
            raise SpecError(f"column type {text!r} is not a type: {exc}") from None
        if dialect == "sqlite":
            # SQLite keeps declared types verbatim (sqlglot would turn varchar(20) into text(20)).
            return " ".join(text.split()).lower()
        return dtype.sql(dialect="mysql" if dialect == "mysql" else dialect).lower()
    try:
        stmts = _pg_parse(f"CREATE TABLE t (c {text})")
    except SpecError:
        raise SpecError(f"column type {text!r} is not a PostgreSQL type") from None
    elts = stmts[0].stmt.tableElts
    if len(stmts) != 1 or len(elts) != 1 or elts[0].constraints:
        raise SpecError(f"column type {text!r} is not a single PostgreSQL type")
    return pg_type_name(elts[0].typeName)


def pg_type_name(type_name) -> str:
    """format_type()-style name of a pglast TypeName node."""
    from pglast.stream import RawStream

    names = [n.sval for n in type_name.names]
    base = names[-1].lower()
    schema = names[0] if len(names) > 1 else None
    mods = ""
    if type_name.typmods:
        mods = "(" + ",".join(RawStream()(m) for m in type_name.typmods) + ")"
    if base == "interval" and type_name.typmods:
        mods = ""  # interval fields (YEAR TO MONTH ...) are rare; keep the base name
    canonical = _PG_TYPE_NAMES.get(base, base)
    if schema not in (None, "pg_catalog", "public"):
        canonical = f"{schema}.{canonical}"
    if canonical.endswith(" without time zone") or canonical.endswith(" with time zone"):
        # format_type puts the precision after the base word: timestamp(3) with time zone
        word, _, tz = canonical.partition(" ")
        text = f"{word}{mods} {tz}"
    else:
        text = f"{canonical}{mods}"
    if type_name.arrayBounds:
        text += "[]" * len(type_name.arrayBounds)
    return text


def strip_outer_parens(text: str) -> str:
    """Drop one layer of parentheses wrapping a whole expression (as deparse leaves them)."""
    t = text.strip()
    while t.startswith("(") and t.endswith(")"):
        depth = 0
        for i, ch in enumerate(t):
            depth += ch == "("
            depth -= ch == ")"
            if depth == 0 and i < len(t) - 1:
                return t
        t = t[1:-1].strip()
    return t
