"""Checking the SQL fragments a spec carries (defaults, predicates, backfill values, types).

A spec may hold user text in a few places: a column type, a default, a CHECK expression, a
partial-index predicate, a backfill value. None of it is pasted into SQL as given. Each fragment
is parsed by the real parser of its dialect (pglast for PostgreSQL, sqlglot otherwise), must be
exactly one expression (no statement separators, no data-modifying subqueries, only functions
the allow-list of ``functions.py`` knows to be free of side effects), and is re-emitted from the
parse tree, so what reaches the migration is canonical: no comment, statement separator or
dollar quote of the input survives. The re-emitted text is parsed once more and must come back
as the same single expression or type, so a bug in either step fails here, not on a database.
"""

from __future__ import annotations

from functools import lru_cache

from migsmith.tools.errors import SpecError

# PostgreSQL internal type names -> the names format_type() prints, so that a type read from a
# DDL file and one read from the catalog compare equal.
_PG_TYPE_NAMES = {
    "int2": "smallint", "int4": "integer", "int8": "bigint", "int": "integer",
    "float4": "real", "float8": "double precision", "bool": "boolean",
    "varchar": "character varying", "bpchar": "character",
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


def _pg_calls(node) -> list[tuple[str | None, str]]:
    """(schema or None, name) of every function called anywhere below ``node``."""
    from pglast import ast

    calls = []
    for sub in _walk(node):
        if isinstance(sub, ast.FuncCall):
            parts = [p.sval for p in sub.funcname]
            calls.append((parts[0] if len(parts) > 1 else None, parts[-1]))
    return calls


def _no_control_characters(text: str, what: str) -> None:
    """A NUL ends the text for the C parsers (the rest would be silently ignored there)."""
    if "\x00" in text:
        raise SpecError(f"{what} {text!r} contains a NUL byte")


def _pg_reject_unsafe(node, text: str, what: str) -> None:
    from pglast import ast

    from migsmith.tools.spec.functions import refusal

    for sub in _walk(node):
        if isinstance(sub, (ast.InsertStmt, ast.UpdateStmt, ast.DeleteStmt, ast.MergeStmt)):
            raise SpecError(f"{what} {text!r} modifies data; only plain expressions are allowed")
        if isinstance(sub, ast.LockingClause):
            raise SpecError(f"{what} {text!r} locks rows (FOR UPDATE/SHARE); only plain "
                            "expressions are allowed")
        if isinstance(sub, ast.ParamRef):
            raise SpecError(f"{what} {text!r} has a parameter (${sub.number}); write the value")
        if isinstance(sub, ast.SelectStmt) and sub.intoClause is not None:
            raise SpecError(f"{what} {text!r} creates a table (SELECT INTO)")
    for schema, name in _pg_calls(node):
        if schema is not None and schema != "pg_catalog":
            raise SpecError(f"{what} {text!r} calls {schema}.{name}(): only built-in functions "
                            "are allowed in a migration expression")
        why = refusal(name, "postgres")
        if why:
            raise SpecError(f"{what} {text!r} calls {name}(), which {why}; it is not allowed in "
                            "a migration expression")


def _pg_single_expression(text: str, what: str):
    """The pglast node of ``text``, which must be one scalar expression."""
    try:
        stmts = _pg_parse(f"SELECT ({text})")
    except SpecError as exc:
        raise SpecError(f"{what} {text!r} {exc.message}") from None
    if len(stmts) != 1:
        raise SpecError(f"{what} {text!r} is more than one statement")
    select = stmts[0].stmt
    if (type(select).__name__ != "SelectStmt" or select.fromClause or select.whereClause
            or not select.targetList or len(select.targetList) != 1 or select.withClause
            or select.groupClause or select.havingClause or select.sortClause
            or select.limitCount or select.distinctClause or select.op.name != "SETOP_NONE"):
        raise SpecError(f"{what} {text!r} is not a single expression")
    return select.targetList[0].val


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
    _no_control_characters(text, what)
    if dialect == "postgres":
        expr = _pg_single_expression(text, what)
        _pg_reject_unsafe(expr, text, what)
        canonical = deparse(expr)
        # The canonical text must itself be exactly this one expression.
        if deparse(_pg_single_expression(canonical, what)) != canonical:
            raise SpecError(f"{what} {text!r} does not survive re-emission unchanged")
        return canonical
    return _sqlglot_expression(text, dialect, what)


def _sqlglot_read(dialect: str) -> str:
    return "mysql" if dialect == "mysql" else dialect


def _sqlglot_single(text: str, dialect: str, what: str):
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import SqlglotError

    try:
        trees = sqlglot.parse(f"SELECT {text}", read=_sqlglot_read(dialect))
    except SqlglotError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise SpecError(f"{what} {text!r} does not parse: {first}") from None
    trees = [t for t in trees if t is not None]
    if len(trees) != 1:
        raise SpecError(f"{what} {text!r} is more than one statement")
    tree = trees[0]
    extra = [k for k, v in tree.args.items() if v and k != "expressions"]
    if not isinstance(tree, exp.Select) or len(tree.expressions) != 1 or extra:
        raise SpecError(f"{what} {text!r} is not a single expression")
    return tree.expressions[0]


def _sqlglot_expression(text: str, dialect: str, what: str) -> str:
    from sqlglot import exp

    node = _sqlglot_single(text, dialect, what)
    for sub in node.walk():
        if isinstance(sub, (exp.Insert, exp.Update, exp.Delete, exp.Merge, exp.Command,
                            exp.Into, exp.Lock)):
            raise SpecError(f"{what} {text!r} modifies data; only plain expressions are allowed")
        if isinstance(sub, (exp.Placeholder, exp.Parameter, exp.SessionParameter)):
            raise SpecError(f"{what} {text!r} uses a parameter or variable; write the value")
    canonical = node.sql(dialect=_sqlglot_read(dialect), comments=False)
    _sqlglot_reject_calls(canonical, text, dialect, what)
    again = _sqlglot_single(canonical, dialect, what).sql(dialect=_sqlglot_read(dialect),
                                                           comments=False)
    if again != canonical or len(_split_like_the_client(f"SELECT {canonical};", dialect)) != 1:
        raise SpecError(f"{what} {text!r} does not survive re-emission unchanged")
    return canonical


def _split_like_the_client(sql: str, dialect: str) -> list:
    """Statements of ``sql`` as the dialect's client sends them (what the server will see)."""
    if dialect == "mysql":
        from migsmith.tools.dialects.mysql.script import split_script

        return split_script(sql)
    from migsmith.tools.proving.shadow.sqlite import split_sqlite

    return split_sqlite(sql)


def _sqlglot_calls(canonical: str, dialect: str) -> list[str]:
    """Names of everything called in ``canonical``: each word right before a "(", as the
    server's tokenizer will see it (quoted names included)."""
    from sqlglot.dialects.dialect import Dialect as GlotDialect
    from sqlglot.tokens import TokenType

    tokens = GlotDialect.get_or_raise(_sqlglot_read(dialect)).tokenize(canonical)
    names = []
    for tok, nxt in zip(tokens, tokens[1:]):
        if nxt.token_type != TokenType.L_PAREN:
            continue
        if tok.token_type in (TokenType.VAR, TokenType.IDENTIFIER):
            names.append(("call", tok.text))
        elif tok.text.replace("_", "").isalnum():
            names.append(("keyword", tok.text))
    return names


def _sqlglot_reject_calls(canonical: str, text: str, dialect: str, what: str) -> None:
    from migsmith.tools.spec.functions import SYNTAX_BEFORE_PAREN, refusal

    for kind, name in _sqlglot_calls(canonical, dialect):
        if kind == "keyword" and name.lower() in SYNTAX_BEFORE_PAREN:
            continue
        why = refusal(name, dialect)
        if why:
            raise SpecError(f"{what} {text!r} calls {name}(), which {why}; it is not allowed in "
                            "a migration expression")


def is_volatile(expression: str | None, dialect: str = "postgres") -> bool:
    """Whether a (checked) expression calls a volatile function."""
    from migsmith.tools.spec.functions import is_volatile_name

    if not expression:
        return False
    if dialect == "postgres":
        stmts = _pg_parse(f"SELECT ({expression})")
        return any(is_volatile_name(name, dialect) for _, name in _pg_calls(stmts[0].stmt))
    return any(is_volatile_name(name, dialect) for _, name in _sqlglot_calls(expression, dialect))


def fills_only_nulls(column: str, expression: str, where: str | None, dialect: str) -> bool:
    """Whether a backfill of ``column`` can change only rows where it is NULL: its condition
    has ``column IS NULL`` among its top-level ANDs, or its value is ``COALESCE(column, ...)``
    (which keeps every value already there). Both fragments are checked ones."""
    if dialect == "postgres":
        return _pg_fills_only_nulls(column, expression, where)
    from sqlglot import exp

    def is_column(node) -> bool:
        return isinstance(node, exp.Column) and node.name.lower() == column.lower()

    if where:
        cond = _sqlglot_single(where, dialect, "condition")
        for part in cond.flatten() if isinstance(cond, exp.And) else [cond]:
            part = part.unnest()
            if isinstance(part, exp.Is) and is_column(part.this) and \
                    isinstance(part.expression, exp.Null):
                return True
    value = _sqlglot_single(expression, dialect, "expression").unnest()
    return isinstance(value, exp.Coalesce) and is_column(value.this)


def _pg_fills_only_nulls(column: str, expression: str, where: str | None) -> bool:
    from pglast import ast, enums

    def is_column(node) -> bool:
        return (isinstance(node, ast.ColumnRef) and isinstance(node.fields[-1], ast.String)
                and node.fields[-1].sval == column)

    if where:
        cond = _pg_single_expression(where, "condition")
        parts = cond.args if (isinstance(cond, ast.BoolExpr)
                              and cond.boolop == enums.BoolExprType.AND_EXPR) else [cond]
        for part in parts:
            if (isinstance(part, ast.NullTest) and part.nulltesttype == enums.NullTestType.IS_NULL
                    and is_column(part.arg)):
                return True
    value = _pg_single_expression(expression, "expression")
    return isinstance(value, ast.CoalesceExpr) and bool(value.args) and is_column(value.args[0])


# Words that would end a SQLite type name and start a column constraint.
_SQLITE_CONSTRAINT_WORDS = {"constraint", "primary", "not", "null", "unique", "check", "default",
                            "collate", "references", "generated", "as", "on", "autoincrement"}


@lru_cache(maxsize=4096)
def check_type(text: str, dialect: str = "postgres") -> str:
    """Validate a column type and return it as the catalog would print it."""
    if not isinstance(text, str) or not text.strip():
        raise SpecError("column type is empty")
    _no_control_characters(text, "column type")
    if dialect == "sqlite":
        return _sqlite_type(text)
    if dialect != "postgres":
        return _mysql_type(text)
    canonical = pg_type_name(_pg_single_type(text, text))
    again = _pg_single_type(canonical, text)
    if again.names[-1].sval != _pg_single_type(text, text).names[-1].sval:
        raise SpecError(f"column type {text!r} does not survive re-emission unchanged")
    return canonical


def _pg_single_type(text: str, shown: str):
    """The pglast TypeName of ``text``, which must be exactly one plain type."""
    from pglast import ast

    from migsmith.tools.errors import UnsafeIdentifierError
    from migsmith.tools.spec.identifiers import check_identifier

    try:
        stmts = _pg_parse(f"CREATE TABLE t (c {text})")
    except SpecError:
        raise SpecError(f"column type {shown!r} is not a PostgreSQL type") from None
    elts = stmts[0].stmt.tableElts if len(stmts) == 1 else None
    if (not elts or len(elts) != 1 or not isinstance(elts[0], ast.ColumnDef)
            or elts[0].constraints or elts[0].raw_default or elts[0].collClause):
        raise SpecError(f"column type {shown!r} is not a single PostgreSQL type"
                        + (" (a collation is not part of the type)"
                           if elts and getattr(elts[0], "collClause", None) else ""))
    type_name = elts[0].typeName
    if type_name.setof or type_name.pct_type:
        raise SpecError(f"column type {shown!r} is not a single PostgreSQL type")
    for part in type_name.names:
        try:
            check_identifier(part.sval, what="type name")
        except UnsafeIdentifierError:
            raise SpecError(f"column type {shown!r}: {part.sval!r} is not a plain type name "
                            "(letters, digits and underscores)") from None
    for mod in type_name.typmods or ():
        plain_name = (isinstance(mod, ast.ColumnRef) and len(mod.fields) == 1
                      and isinstance(mod.fields[0], ast.String))
        number = isinstance(mod, ast.A_Const) and isinstance(mod.val, ast.Integer)
        if not (plain_name or number):
            raise SpecError(f"column type {shown!r}: type modifiers must be numbers or names")
    return type_name


def _mysql_type(text: str) -> str:
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import SqlglotError

    try:
        trees = sqlglot.parse(f"CREATE TABLE t (c {text})", read="mysql")
    except SqlglotError:
        raise SpecError(f"column type {text!r} is not a type") from None
    cols = trees[0].this.expressions if len(trees) == 1 and trees[0] is not None and isinstance(
        trees[0].this, exp.Schema) else []
    if (len(cols) != 1 or not isinstance(cols[0], exp.ColumnDef)
            or not isinstance(cols[0].args.get("kind"), exp.DataType)
            or cols[0].args.get("constraints")):
        raise SpecError(f"column type {text!r} is not a single MySQL type (character sets, "
                        "collations and constraints are not part of the type)")
    canonical = cols[0].args["kind"].sql(dialect="mysql", comments=False).lower()
    try:
        again = exp.DataType.build(canonical, dialect="mysql").sql(dialect="mysql").lower()
    except (SqlglotError, ValueError):
        again = None
    if again != canonical:
        raise SpecError(f"column type {text!r} does not survive re-emission unchanged")
    return canonical


def _sqlite_type(text: str) -> str:
    """SQLite keeps declared types verbatim: its grammar is one or more names, then optionally
    one or two signed numbers in parentheses. The text is checked against that grammar and then
    by SQLite itself: the declared type it records must be exactly the text."""
    import re
    import sqlite3

    words = " ".join(text.split()).lower()
    m = re.fullmatch(r"((?:[a-z_][a-z0-9_]*)(?: [a-z_][a-z0-9_]*)*)"
                     r"(?: ?\( ?([+-]?\d+(?:\.\d+)?) ?(?:, ?([+-]?\d+(?:\.\d+)?) ?)?\))?",
                     words)
    if not m or set(m.group(1).split()) & _SQLITE_CONSTRAINT_WORDS:
        raise SpecError(f"column type {text!r} is not a SQLite type name (words, then "
                        "optionally (n) or (n, m))")
    canonical = m.group(1) + (f"({m.group(2)}" + (f", {m.group(3)}" if m.group(3) else "") + ")"
                              if m.group(2) else "")
    from migsmith.tools.schema.live_sqlite import confine

    conn = confine(sqlite3.connect(":memory:"))
    try:
        conn.execute(f"CREATE TABLE t (c {canonical})")
        declared = conn.execute("SELECT type FROM pragma_table_info('t')").fetchall()
    except sqlite3.Error:
        raise SpecError(f"column type {text!r} is not a SQLite type name") from None
    finally:
        conn.close()
    if len(declared) != 1 or declared[0][0].lower() != canonical:
        raise SpecError(f"column type {text!r} is not a single SQLite type")
    return canonical


def quote_pg_name(name: str) -> str:
    """A type or schema name as format_type() prints it: bare when lowercase and not a
    keyword, else double-quoted."""
    import re

    from pglast.keywords import RESERVED_KEYWORDS, TYPE_FUNC_NAME_KEYWORDS, COL_NAME_KEYWORDS

    if (re.fullmatch(r"[a-z_][a-z0-9_$]*", name) and name not in RESERVED_KEYWORDS
            and name not in TYPE_FUNC_NAME_KEYWORDS and name not in COL_NAME_KEYWORDS):
        return name
    return '"' + name.replace('"', '""') + '"'


def pg_type_name(type_name) -> str:
    """format_type()-style name of a pglast TypeName node (names quoted where they need it)."""
    from pglast.stream import RawStream

    names = [n.sval for n in type_name.names]
    base = names[-1]
    schema = names[0] if len(names) > 1 else None
    mods = ""
    if type_name.typmods:
        mods = "(" + ",".join(RawStream()(m) for m in type_name.typmods) + ")"
    if base == "interval" and type_name.typmods:
        mods = ""  # interval fields (YEAR TO MONTH ...) are rare; keep the base name
    if schema == "pg_catalog":  # a name the grammar itself knows (int -> pg_catalog.int4)
        canonical = _PG_TYPE_NAMES.get(base, base)
    else:
        canonical = _PG_TYPE_NAMES.get(base) if schema is None else None
        canonical = canonical or quote_pg_name(base)
    if schema not in (None, "pg_catalog", "public"):
        canonical = f"{quote_pg_name(schema)}.{canonical}"
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
