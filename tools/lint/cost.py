"""Could a PostgreSQL statement take time proportional to a table's size?

Catalog-only changes (ADD COLUMN without a volatile default, SET/DROP DEFAULT, NOT VALID
constraints, DROP COLUMN, CREATE FUNCTION/TRIGGER, renames...) finish in milliseconds once they
have their lock. Scans, rewrites, index builds, data changes and queries do not. The
transaction-scoped rules use this to tell "more work while a table is locked" from harmless
bookkeeping in the same transaction.
"""

from __future__ import annotations

from typing import Any

from pglast import ast
from pglast.enums import AlterTableType, ConstrType

from migsmith.tools.lint import pg

# Statements that only touch the catalog (or session state): fast once their lock is granted.
_CATALOG_ONLY = (
    ast.TransactionStmt, ast.VariableSetStmt, ast.VariableShowStmt, ast.CreateFunctionStmt,
    ast.AlterFunctionStmt, ast.CreateTrigStmt, ast.CommentStmt, ast.GrantStmt, ast.GrantRoleStmt,
    ast.CreateEnumStmt, ast.AlterEnumStmt, ast.ViewStmt, ast.CreateSeqStmt, ast.AlterSeqStmt,
    ast.RenameStmt, ast.DropStmt, ast.CreateStmt, ast.CreateSchemaStmt, ast.AlterOwnerStmt,
    ast.CreatePolicyStmt, ast.AlterPolicyStmt, ast.RuleStmt, ast.CreateDomainStmt,
    ast.CompositeTypeStmt, ast.DefineStmt, ast.CreateExtensionStmt, ast.AlterObjectSchemaStmt,
    ast.LockStmt, ast.CreateRoleStmt, ast.AlterRoleStmt,
)

_SLOW_ALTER = {
    AlterTableType.AT_ValidateConstraint: "validates a constraint (full scan)",
    AlterTableType.AT_AddIndex: "builds an index",
    AlterTableType.AT_SetLogged: "rewrites the table",
    AlterTableType.AT_SetUnLogged: "rewrites the table",
    AlterTableType.AT_SetTableSpace: "copies the table",
    AlterTableType.AT_SetAccessMethod: "rewrites the table",
    AlterTableType.AT_SetExpression: "rewrites the table",
    AlterTableType.AT_AttachPartition: "scans the partition",
}


def _alter_reason(node: ast.AlterTableStmt, state: Any) -> str | None:
    table = pg.ref(node.relation)
    for cmd in pg.alter_cmds(node):
        sub = cmd.subtype
        if sub in _SLOW_ALTER:
            return _SLOW_ALTER[sub]
        if sub == AlterTableType.AT_AddColumn and isinstance(cmd.def_, ast.ColumnDef):
            coldef = cmd.def_
            kind = pg.type_info(coldef.typeName).name if coldef.typeName else ""
            constraints = pg.column_constraints(coldef)
            if kind in pg.SERIAL_TYPES or any(
                    c.contype == ConstrType.CONSTR_IDENTITY
                    or (c.contype == ConstrType.CONSTR_GENERATED and c.generated_kind != "v")
                    for c in constraints):
                return "rewrites the table"
            for c in constraints:
                if c.contype == ConstrType.CONSTR_DEFAULT and (
                        pg.volatile_calls(c.raw_expr) or (state.pg_version < 11 and pg.const(c.raw_expr) is not None)):
                    return "rewrites the table"
                if c.contype in (ConstrType.CONSTR_PRIMARY, ConstrType.CONSTR_UNIQUE):
                    return "builds an index"
                if c.contype in (ConstrType.CONSTR_FOREIGN, ConstrType.CONSTR_CHECK):
                    return "validates a constraint (full scan)"
        elif sub == AlterTableType.AT_SetNotNull:
            if state.pg_version < 12 or not state.has_validated_not_null_check(table, cmd.name):
                return "scans the table to check for NULLs"
        elif sub == AlterTableType.AT_AlterColumnType and isinstance(cmd.def_, ast.ColumnDef):
            old = state.column_type(table, cmd.name)
            new = pg.type_info(cmd.def_.typeName)
            if old is None or not pg.trivial_using(cmd.def_.raw_default, cmd.name) \
                    or not pg.binary_compatible(old, new):
                return "rewrites the table"
        elif sub == AlterTableType.AT_AddConstraint and isinstance(cmd.def_, ast.Constraint):
            con = cmd.def_
            if con.contype in (ConstrType.CONSTR_PRIMARY, ConstrType.CONSTR_UNIQUE,
                               ConstrType.CONSTR_EXCLUSION) and not con.indexname:
                return "builds an index"
            if con.contype in (ConstrType.CONSTR_CHECK, ConstrType.CONSTR_FOREIGN,
                               ConstrType.CONSTR_NOTNULL) and not con.skip_validation:
                return "validates a constraint (full scan)"
    return None


def slow_reason(node: Any, state: Any) -> str | None:
    """Why ``node`` may run long (scan, rewrite, index build, data change, query), or None if it
    only changes the catalog. ``state`` is the FileState before the statement."""
    if isinstance(node, ast.AlterTableStmt):
        return _alter_reason(node, state)
    if isinstance(node, _CATALOG_ONLY):
        return None
    if isinstance(node, ast.IndexStmt):
        return "builds an index"
    if isinstance(node, (ast.UpdateStmt, ast.DeleteStmt, ast.InsertStmt, ast.MergeStmt, ast.CopyStmt)):
        return "changes rows"
    if isinstance(node, (ast.ReindexStmt, ast.ClusterStmt, ast.VacuumStmt, ast.RefreshMatViewStmt)):
        return "rebuilds or scans a table"
    return "runs a query or procedure"  # SELECT, CREATE TABLE AS, DO, CALL, ...: assume it can take time
