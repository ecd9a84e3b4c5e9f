"""PostgreSQL-specific helpers over pglast's AST (names, types, expressions, options) and the
builder of the dialect-neutral ``Facts`` for PostgreSQL statements."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pglast import ast
from pglast.enums import (
    A_Expr_Kind,
    AlterTableType,
    BoolExprType,
    ObjectType,
    SetOperation,
    TransactionStmtKind,
)

from migsmith.tools.lint.facts import DataChange, Facts, RowCopy, TableRef

# --------------------------------------------------------------------------------------------
# Generic AST helpers
# --------------------------------------------------------------------------------------------


def walk(node: Any) -> Iterator[ast.Node]:
    """Every ast.Node under ``node`` (inclusive), depth first."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, ast.Node):
            yield item
            for attr in type(item).__slots__:
                value = getattr(item, attr, None)
                if isinstance(value, (ast.Node, tuple, list)):
                    stack.append(value)
        elif isinstance(item, (tuple, list)):
            stack.extend(item)


def ref(rv: ast.RangeVar, *, kind: str = "table") -> TableRef:
    return TableRef(rv.relname, rv.schemaname, kind)


def ref_from_names(names: tuple[ast.String, ...] | list[ast.String], *, kind: str = "table") -> TableRef:
    parts = [n.sval for n in names if isinstance(n, ast.String)]
    return TableRef(parts[-1], parts[-2] if len(parts) > 1 else None, kind)


_NOT_CONST = object()


def const(node: Any) -> Any:
    """The Python value of a literal (``A_Const``, or a bare keyword such as ``off``), else a
    sentinel. ``'2s'::interval`` style casts are looked through."""
    if isinstance(node, ast.TypeCast):
        return const(node.arg)
    if isinstance(node, ast.A_Const):
        if node.isnull:
            return None
        val = node.val
        for attr in ("ival", "fval", "sval", "boolval", "bsval"):
            if hasattr(val, attr):
                return getattr(val, attr)
    if isinstance(node, ast.String):
        return node.sval
    if isinstance(node, ast.Integer):
        return node.ival
    if isinstance(node, ast.Boolean):
        return node.boolval
    return _NOT_CONST


def is_const(node: Any) -> bool:
    return const(node) is not _NOT_CONST


def option_enabled(defelem: ast.DefElem) -> bool:
    """``(CONCURRENTLY)``, ``(CONCURRENTLY true)``, ``(FULL off)``: PostgreSQL's boolean option
    rules (defGetBoolean): no argument means true; 0/1, true/false, on/off, yes/no (any case)."""
    if defelem.arg is None:
        return True
    value = const(defelem.arg)
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value != 0
    if isinstance(value, str):
        return value.strip().lower() not in {"false", "off", "no", "0", "f", "n", "of"}
    return True


def has_option(options: Any, name: str) -> bool:
    return any(isinstance(o, ast.DefElem) and o.defname == name and option_enabled(o)
               for o in options or ())


# --------------------------------------------------------------------------------------------
# Types
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TypeInfo:
    name: str  # lower-cased, without a pg_catalog. prefix: int4, varchar, timestamptz, serial...
    mods: tuple[Any, ...]  # type modifiers: (255,) for varchar(255), (10, 2) for numeric(10,2)
    array: bool

    def __str__(self) -> str:
        mods = f"({', '.join(str(m) for m in self.mods)})" if self.mods else ""
        return f"{self.name}{mods}{'[]' if self.array else ''}"


def type_info(tn: ast.TypeName) -> TypeInfo:
    parts = [n.sval for n in tn.names]
    if len(parts) > 1 and parts[0] == "pg_catalog":
        parts = parts[1:]
    mods = tuple(const(m) for m in tn.typmods or ())
    return TypeInfo(".".join(parts).lower(), mods, bool(tn.arrayBounds))


INT_TYPES = {"int4", "int", "integer", "serial", "serial4"}
SMALLINT_TYPES = {"int2", "smallint", "smallserial", "serial2"}
BIGINT_TYPES = {"int8", "bigint", "bigserial", "serial8"}
SERIAL_TYPES = {"serial", "serial2", "serial4", "serial8", "smallserial", "bigserial"}
CHAR_TYPES = {"bpchar", "char", "character", "nchar"}
VARCHAR_TYPES = {"varchar", "character varying"}


# Type changes PostgreSQL performs without rewriting the table (binary-coercible casts).
_TEXTUAL = {"varchar", "text"}


def _limit(t: TypeInfo):
    return t.mods[0] if t.mods else None


def binary_compatible(old: TypeInfo, new: TypeInfo) -> bool:
    """Does ``old -> new`` skip the table rewrite (and the index rebuild)?"""
    if old.array != new.array:
        return False
    if old == new:
        return True
    if old.name in _TEXTUAL and new.name == "text":
        return True
    if old.name in _TEXTUAL and new.name == "varchar":
        if _limit(new) is None:
            return True
        return old.name == "varchar" and _limit(old) is not None and _limit(new) >= _limit(old)
    if old.name == new.name == "numeric":
        if not new.mods:
            return True
        if not old.mods or len(old.mods) != len(new.mods):
            return False
        old_scale = old.mods[1] if len(old.mods) > 1 else 0
        new_scale = new.mods[1] if len(new.mods) > 1 else 0
        return new_scale == old_scale and new.mods[0] >= old.mods[0]
    if old.name == new.name == "varbit":
        return _limit(new) is None or (_limit(old) is not None and _limit(new) >= _limit(old))
    if old.name == "cidr" and new.name == "inet":
        return True
    return False


def trivial_using(expr, column: str) -> bool:
    """USING col or USING col::newtype leave the value alone."""
    if expr is None:
        return True
    if isinstance(expr, ast.TypeCast):
        expr = expr.arg
    return isinstance(expr, ast.ColumnRef) and expr.fields[-1].sval == column


# --------------------------------------------------------------------------------------------
# Expressions: volatility of column defaults
# --------------------------------------------------------------------------------------------

# Functions PostgreSQL marks IMMUTABLE or STABLE (pg_proc.provolatile 'i'/'s') that commonly appear
# in defaults. A non-volatile default is evaluated once when the column is added (PG 11+), so no
# row is rewritten. Anything not listed is treated as volatile: we cannot see user functions'
# volatility, and guessing wrong means an unexpected full-table rewrite.
NON_VOLATILE_FUNCTIONS = frozenset({
    "now", "transaction_timestamp", "statement_timestamp", "current_date", "current_time",
    "current_timestamp", "localtime", "localtimestamp", "current_user", "session_user",
    "current_schema", "current_database", "version",
    "lower", "upper", "length", "char_length", "btrim", "ltrim", "rtrim", "trim", "replace",
    "substr", "substring", "concat", "concat_ws", "left", "right", "lpad", "rpad", "md5",
    "abs", "round", "trunc", "floor", "ceil", "ceiling", "power", "sqrt", "mod", "greatest", "least",
    "coalesce", "nullif", "date_trunc", "date_part", "extract", "make_date", "make_time",
    "make_timestamp", "make_timestamptz", "make_interval", "to_timestamp", "to_date", "to_char",
    "to_number", "timezone", "age", "array_fill", "array_length", "cardinality", "string_to_array",
    "to_json", "to_jsonb", "json_build_object", "jsonb_build_object", "json_build_array",
    "jsonb_build_array", "jsonb_object", "json_object", "row_to_json",
})
# Of those, the ones that take no arguments: now(123) is not now(), and calling an unknown
# overload is as opaque to us as calling an unknown function.
NO_ARGUMENT_FUNCTIONS = frozenset({
    "now", "transaction_timestamp", "statement_timestamp", "current_date", "current_time",
    "current_timestamp", "localtime", "localtimestamp", "current_user", "session_user",
    "current_schema", "current_database", "version",
})


def volatile_calls(expr: Any) -> list[str]:
    """Names of function calls in ``expr`` that are (or may be) volatile."""
    found = []
    for node in walk(expr):
        if isinstance(node, ast.FuncCall):
            name = node.funcname[-1].sval.lower()
            if name not in NON_VOLATILE_FUNCTIONS or (name in NO_ARGUMENT_FUNCTIONS and node.args):
                found.append(name)
    return found


# --------------------------------------------------------------------------------------------
# Statement shapes
# --------------------------------------------------------------------------------------------


_last_cmds: tuple[Any, tuple] = (None, ())


def alter_cmds(node: Any) -> tuple[ast.AlterTableCmd, ...]:
    """The subcommands of ALTER TABLE (asked by most rules in a row: the last answer is kept, by
    identity, the cache holding the node)."""
    global _last_cmds
    if not isinstance(node, ast.AlterTableStmt):
        return ()
    if _last_cmds[0] is not node:
        cmds = ()
        if node.objtype == ObjectType.OBJECT_TABLE:
            cmds = tuple(c for c in node.cmds or () if isinstance(c, ast.AlterTableCmd))
        _last_cmds = (node, cmds)
    return _last_cmds[1]


def column_constraints(coldef: ast.ColumnDef) -> tuple[ast.Constraint, ...]:
    return tuple(c for c in coldef.constraints or () if isinstance(c, ast.Constraint))


def is_concurrent(node: Any) -> bool:
    """Does the statement use the CONCURRENTLY form (which may not run in a transaction block)?"""
    if isinstance(node, ast.IndexStmt):
        return bool(node.concurrent)
    if isinstance(node, ast.DropStmt):
        return bool(node.concurrent)
    if isinstance(node, ast.ReindexStmt):
        return has_option(node.params, "concurrently")
    if isinstance(node, ast.RefreshMatViewStmt):
        return False  # REFRESH ... CONCURRENTLY is allowed inside a transaction
    for cmd in alter_cmds(node):
        if cmd.subtype == AlterTableType.AT_DetachPartition and cmd.def_.concurrent:
            return True
    return False


_NEVER_IN_TRANSACTION = (ast.VacuumStmt, ast.CreatedbStmt, ast.DropdbStmt, ast.AlterSystemStmt,
                         ast.CreateTableSpaceStmt, ast.DropTableSpaceStmt)


def refuses_transaction(node: Any) -> bool:
    """Does PostgreSQL refuse to run the statement inside a transaction block?"""
    return is_concurrent(node) or isinstance(node, _NEVER_IN_TRANSACTION)


def is_temporary(rv: ast.RangeVar | None) -> bool:
    return rv is not None and rv.relpersistence == "t"


# --------------------------------------------------------------------------------------------
# UPDATE / DELETE reach
# --------------------------------------------------------------------------------------------

_RANGE_LOWER = {">", ">="}
_RANGE_UPPER = {"<", "<="}


def _has_limit(select: Any) -> bool:
    return isinstance(select, ast.SelectStmt) and (
        select.limitCount is not None
        or _has_limit(select.larg) or _has_limit(select.rarg))


def _column_key(node: Any) -> str | None:
    if isinstance(node, ast.ColumnRef):
        return ".".join(f.sval for f in node.fields if isinstance(f, ast.String)).split(".")[-1]
    return None


def _conjuncts(expr: Any) -> list[Any]:
    if isinstance(expr, ast.BoolExpr) and expr.boolop == BoolExprType.AND_EXPR:
        out = []
        for arg in expr.args:
            out.extend(_conjuncts(arg))
        return out
    return [expr]


def where_is_bounded(where: Any) -> bool:
    """Does the WHERE clause visibly limit the rows to a batch or a lookup?"""
    bounds: dict[str, set[str]] = {}
    for term in _conjuncts(where):
        if isinstance(term, ast.SubLink) and _has_limit(term.subselect):
            return True  # id IN (SELECT id ... LIMIT n)
        if not isinstance(term, ast.A_Expr):
            continue
        left, right = _column_key(term.lexpr), _column_key(term.rexpr)
        if term.kind in (A_Expr_Kind.AEXPR_BETWEEN, A_Expr_Kind.AEXPR_BETWEEN_SYM) and left:
            return True
        if term.kind == A_Expr_Kind.AEXPR_IN and left:
            return True
        op = term.name[-1].sval if term.name else ""
        if term.kind == A_Expr_Kind.AEXPR_OP_ANY and op == "=" and left:
            return True
        if term.kind != A_Expr_Kind.AEXPR_OP:
            continue
        if op == "=" and (left or right) and not (left and right):
            return True  # point lookup: col = constant / parameter / scalar sub-select
        if left and not right and op in _RANGE_LOWER | _RANGE_UPPER:
            bounds.setdefault(left, set()).add("lo" if op in _RANGE_LOWER else "hi")
        elif right and not left and op in _RANGE_LOWER | _RANGE_UPPER:
            bounds.setdefault(right, set()).add("hi" if op in _RANGE_LOWER else "lo")
    return any(b == {"lo", "hi"} for b in bounds.values())


def data_change_is_bounded(node: ast.UpdateStmt | ast.DeleteStmt) -> bool:
    # The batch may be chosen in a CTE or a sub-select joined in FROM/USING (the
    # "WITH batch AS (SELECT id ... LIMIT n) UPDATE ... FROM batch" pattern).
    if node.withClause is not None:
        if any(_has_limit(cte.ctequery) for cte in node.withClause.ctes or ()):
            return True
    sources = (getattr(node, "fromClause", None) or ()) + (getattr(node, "usingClause", None) or ())
    for item in sources:
        if isinstance(item, ast.RangeSubselect) and _has_limit(item.subquery):
            return True
    if node.whereClause is None:
        return False
    return where_is_bounded(node.whereClause)


# --------------------------------------------------------------------------------------------
# Facts
# --------------------------------------------------------------------------------------------

_TX_EVENTS = {
    TransactionStmtKind.TRANS_STMT_BEGIN: "begin",
    TransactionStmtKind.TRANS_STMT_START: "begin",
    TransactionStmtKind.TRANS_STMT_COMMIT: "commit",
    TransactionStmtKind.TRANS_STMT_ROLLBACK: "rollback",
    TransactionStmtKind.TRANS_STMT_PREPARE: "commit",  # PREPARE TRANSACTION ends the block too
    TransactionStmtKind.TRANS_STMT_SAVEPOINT: "savepoint",
    TransactionStmtKind.TRANS_STMT_RELEASE: "release",
    TransactionStmtKind.TRANS_STMT_ROLLBACK_TO: "rollback_to",
}


def _limited_by(select: ast.SelectStmt) -> str | None:
    if select.whereClause is not None:
        return "WHERE"
    if select.limitCount is not None:
        return "LIMIT"
    if select.distinctClause is not None:
        return "DISTINCT"
    if select.groupClause is not None or select.havingClause is not None:
        return "GROUP BY"
    return None


def _read_columns(select: ast.SelectStmt) -> frozenset[str] | None:
    names = set()
    for target in select.targetList or ():
        for node in walk(target):
            if isinstance(node, ast.ColumnRef):
                if any(isinstance(f, ast.A_Star) for f in node.fields):
                    return None
                names.add(node.fields[-1].sval)
    return frozenset(names)


def _record_fill(facts: Facts, target: TableRef, select: Any, how: str) -> None:
    """INSERT ... SELECT / CREATE TABLE ... AS: what the query reads, and a plain copy of one table."""
    if not isinstance(select, ast.SelectStmt) or select.valuesLists is not None:
        return
    read = tuple(ref(n) for n in walk(select.fromClause) if isinstance(n, ast.RangeVar)) \
        if select.fromClause else ()
    if select.op != SetOperation.SETOP_NONE:  # UNION etc.: every branch is read
        read = tuple(ref(n) for n in walk(select) if isinstance(n, ast.RangeVar))
    if read:
        facts.filled.append((target, read, how))
    sources = select.fromClause or ()
    if len(sources) == 1 and isinstance(sources[0], ast.RangeVar) and select.op == SetOperation.SETOP_NONE:
        facts.copies.append(RowCopy(ref(sources[0]), target, _limited_by(select), _read_columns(select)))


def build_facts(node: Any) -> Facts:
    facts = Facts()
    if isinstance(node, ast.CreateStmt):
        facts.created_tables.append(ref(node.relation))
    elif isinstance(node, ast.CreateTableAsStmt) and node.objtype == ObjectType.OBJECT_TABLE:
        facts.created_tables.append(ref(node.into.rel))
        if not node.into.skipData:  # WITH NO DATA creates it empty
            _record_fill(facts, ref(node.into.rel), node.query, "CREATE TABLE ... AS")
    elif isinstance(node, ast.SelectStmt) and node.intoClause is not None:
        facts.created_tables.append(ref(node.intoClause.rel))
        _record_fill(facts, ref(node.intoClause.rel), node, "SELECT ... INTO")
    elif isinstance(node, ast.InsertStmt) and isinstance(node.selectStmt, ast.SelectStmt):
        _record_fill(facts, ref(node.relation), node.selectStmt, "INSERT ... SELECT")
    elif isinstance(node, ast.DropStmt) and node.removeType == ObjectType.OBJECT_TABLE:
        facts.dropped_tables.extend(ref_from_names(obj) for obj in node.objects)
    elif isinstance(node, ast.RenameStmt):
        if node.renameType == ObjectType.OBJECT_TABLE:
            facts.renamed_tables.append((ref(node.relation), node.newname))
        elif node.renameType == ObjectType.OBJECT_COLUMN and \
                node.relationType in (ObjectType.OBJECT_TABLE, ObjectType.OBJECT_FOREIGN_TABLE):
            facts.renamed_columns.append((ref(node.relation), node.subname, node.newname))
    elif isinstance(node, ast.AlterTableStmt):
        for cmd in alter_cmds(node):
            if cmd.subtype == AlterTableType.AT_DropColumn:
                facts.dropped_columns.append((ref(node.relation), cmd.name))
    elif isinstance(node, (ast.UpdateStmt, ast.DeleteStmt)):
        facts.data_change = DataChange(
            verb="update" if isinstance(node, ast.UpdateStmt) else "delete",
            table=ref(node.relation),
            has_where=node.whereClause is not None,
            bounded=data_change_is_bounded(node),
        )
    elif isinstance(node, ast.TransactionStmt):
        facts.tx_event = _TX_EVENTS.get(node.kind)
    return facts
