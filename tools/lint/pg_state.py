"""The PostgreSQL half of ``state.advance``: timeouts, constraints, column types, held locks."""

from __future__ import annotations

import re
from typing import Any

from pglast import ast
from pglast.enums import (
    AlterTableType,
    BoolExprType,
    ConstrType,
    NullTestType,
    TransactionStmtKind,
    VariableSetKind,
)

from migsmith.tools.lint import pg
from migsmith.tools.lint.facts import TableRef
from migsmith.tools.lint.locks import LockMode, locks_taken
from migsmith.tools.lint.model import Statement
from migsmith.tools.lint.state import CheckConstraint, FileState

TIMEOUTS = ("lock_timeout", "statement_timeout")
# The leading number of a GUC value like '2s', '500ms', 0 (regex on a literal's value, not on SQL).
_LEADING_NUMBER = re.compile(r"\s*([0-9]*\.?[0-9]+)")


def timeout_is_positive(value: Any) -> bool:
    """``0`` disables a timeout; anything we cannot read (a parameter, an expression) is
    assumed to set one, since the author clearly meant to."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value > 0
    if isinstance(value, str):
        m = _LEADING_NUMBER.match(value)
        return not m or float(m.group(1)) > 0
    return True


def not_null_columns(expr: Any) -> frozenset[str]:
    """Columns that ``CHECK (expr)`` proves non-null: ``c IS NOT NULL``, possibly AND-ed."""
    if isinstance(expr, ast.NullTest) and expr.nulltesttype == NullTestType.IS_NOT_NULL \
            and isinstance(expr.arg, ast.ColumnRef):
        return frozenset({expr.arg.fields[-1].sval})
    if isinstance(expr, ast.BoolExpr) and expr.boolop == BoolExprType.AND_EXPR:
        cols: frozenset[str] = frozenset()
        for arg in expr.args:
            cols |= not_null_columns(arg)
        return cols
    return frozenset()


def _apply_set(state: FileState, node: ast.VariableSetStmt) -> None:
    name = (node.name or "").lower()
    if node.kind == VariableSetKind.VAR_RESET_ALL:
        for t in TIMEOUTS:
            state.set_timeout(t, False, local=False)
        return
    if name not in TIMEOUTS:
        return
    if node.kind == VariableSetKind.VAR_SET_VALUE:
        value = timeout_is_positive(pg.const(node.args[0])) if node.args else True
    else:  # SET ... TO DEFAULT, RESET: back to the server default, which is 0
        value = False
    state.set_timeout(name, value, local=bool(node.is_local))


def _apply_set_config(state: FileState, node: ast.SelectStmt) -> None:
    # SELECT set_config('lock_timeout', '1s', is_local)
    for target in node.targetList or ():
        call = getattr(target, "val", None)
        if not isinstance(call, ast.FuncCall) or call.funcname[-1].sval != "set_config":
            continue
        args = [pg.const(a) for a in call.args or ()]
        if len(args) == 3 and isinstance(args[0], str) and args[0].lower() in TIMEOUTS:
            local = args[2] in (True, "true", "t", "on", 1)
            state.set_timeout(args[0].lower(), timeout_is_positive(args[1]), local=local)


def _record_constraint(state: FileState, table: TableRef, con: ast.Constraint) -> None:
    if con.conname:
        state.defined_constraints.add((table.name, con.conname))
    if con.contype == ConstrType.CONSTR_CHECK:
        name = con.conname
        state.checks[(table.name, name or f"#{len(state.checks)}")] = CheckConstraint(
            table=table, name=name, not_null_columns=not_null_columns(con.raw_expr),
            validated=not con.skip_validation)
    if con.skip_validation and con.conname and state.tx is not None:
        state.tx.not_valid_added.add((table, con.conname))


def advance_postgres(state: FileState, stmt: Statement) -> None:
    node = stmt.node
    if isinstance(node, ast.TransactionStmt) and node.chain and node.kind in (
            TransactionStmtKind.TRANS_STMT_COMMIT, TransactionStmtKind.TRANS_STMT_ROLLBACK):
        state.begin(stmt)  # COMMIT AND CHAIN opens the next block at once
    elif isinstance(node, ast.VariableSetStmt):
        _apply_set(state, node)
    elif isinstance(node, ast.SelectStmt):
        _apply_set_config(state, node)
    elif isinstance(node, ast.CreateStmt):
        table = pg.ref(node.relation)
        for elt in node.tableElts or ():
            if isinstance(elt, ast.ColumnDef) and elt.typeName is not None:
                state.column_types[(table.name, elt.colname)] = pg.type_info(elt.typeName)
            elif isinstance(elt, ast.Constraint):
                _record_constraint(state, table, elt)
    elif isinstance(node, ast.AlterTableStmt):
        table = pg.ref(node.relation)
        for cmd in pg.alter_cmds(node):
            sub = cmd.subtype
            if sub == AlterTableType.AT_AddColumn and isinstance(cmd.def_, ast.ColumnDef):
                if cmd.def_.typeName is not None:
                    state.column_types[(table.name, cmd.def_.colname)] = pg.type_info(cmd.def_.typeName)
            elif sub == AlterTableType.AT_AlterColumnType and isinstance(cmd.def_, ast.ColumnDef):
                state.column_types[(table.name, cmd.name)] = pg.type_info(cmd.def_.typeName)
            elif sub == AlterTableType.AT_AddConstraint and isinstance(cmd.def_, ast.Constraint):
                _record_constraint(state, table, cmd.def_)
                state.dropped_if_exists.discard((table.name, cmd.def_.conname))
            elif sub == AlterTableType.AT_ValidateConstraint:
                known = state.checks.get((table.name, cmd.name))
                if known is not None:
                    state.checks[(table.name, cmd.name)] = CheckConstraint(
                        known.table, known.name, known.not_null_columns, validated=True)
                elif (table.name, cmd.name) not in state.defined_constraints:
                    state.validated_unknown.append(table)
            elif sub == AlterTableType.AT_DropConstraint:
                state.checks.pop((table.name, cmd.name), None)
                if cmd.missing_ok:
                    state.dropped_if_exists.add((table.name, cmd.name))

    # Locks now held by the open block (released only at its end).
    if state.tx is not None:
        for table, mode in locks_taken(node).items():
            if state.is_new(table):
                continue
            state.tx.hold(table, mode)
            if isinstance(node, ast.AlterTableStmt) and mode == LockMode.ACCESS_EXCLUSIVE:
                state.tx.altered.add(table)
