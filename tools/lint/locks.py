"""Which table-level lock a PostgreSQL statement takes, and on which relations.

Follows the PostgreSQL documentation ("Explicit Locking", and the lock level notes on each
ALTER TABLE form, i.e. ``AlterTableGetLockLevel`` in tablecmds.c). Only the strongest lock per
relation is reported. Used by the timeout rules (does this statement queue behind, and then
block, ordinary traffic?) and by the transaction-scoped rules (what is already held?).
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from pglast import ast
from pglast.enums import AlterTableType, ConstrType, ObjectType, ReindexObjectType

from migsmith.tools.lint import pg
from migsmith.tools.lint.facts import TableRef


class LockMode(IntEnum):
    # Values are PostgreSQL's own lock mode numbers (LOCK TABLE's parse tree uses them too).
    ACCESS_SHARE = 1
    ROW_SHARE = 2
    ROW_EXCLUSIVE = 3
    SHARE_UPDATE_EXCLUSIVE = 4
    SHARE = 5
    SHARE_ROW_EXCLUSIVE = 6
    EXCLUSIVE = 7
    ACCESS_EXCLUSIVE = 8

    @property
    def pg_name(self) -> str:
        return self.name.replace("_", " ")

    @property
    def blocks_writes(self) -> bool:
        """Conflicts with ROW EXCLUSIVE (INSERT/UPDATE/DELETE)."""
        return self >= LockMode.SHARE

    @property
    def blocks_reads(self) -> bool:
        """Conflicts with ACCESS SHARE (plain SELECT)."""
        return self == LockMode.ACCESS_EXCLUSIVE

    @property
    def dangerous(self) -> bool:
        """Blocks ordinary application traffic while held *or while queued*: a waiting request
        makes every later conflicting request wait behind it."""
        return self.blocks_writes


_SHARE_UPDATE_EXCLUSIVE_CMDS = {
    AlterTableType.AT_SetStatistics,
    AlterTableType.AT_ClusterOn,
    AlterTableType.AT_DropCluster,
    AlterTableType.AT_SetOptions,
    AlterTableType.AT_ResetOptions,
    AlterTableType.AT_SetRelOptions,
    AlterTableType.AT_ResetRelOptions,
    AlterTableType.AT_ValidateConstraint,
    AlterTableType.AT_AttachPartition,  # on the parent, PostgreSQL 12+
    AlterTableType.AT_DetachPartitionFinalize,
}
_SHARE_ROW_EXCLUSIVE_CMDS = {
    AlterTableType.AT_EnableTrig,
    AlterTableType.AT_EnableAlwaysTrig,
    AlterTableType.AT_EnableReplicaTrig,
    AlterTableType.AT_EnableTrigAll,
    AlterTableType.AT_EnableTrigUser,
    AlterTableType.AT_DisableTrig,
    AlterTableType.AT_DisableTrigAll,
    AlterTableType.AT_DisableTrigUser,
}


def _merge(out: dict[TableRef, LockMode], table: TableRef, mode: LockMode) -> None:
    if mode > out.get(table, 0):
        out[table] = mode


def _fk_targets(constraints: Any) -> list[TableRef]:
    return [pg.ref(c.pktable) for c in constraints or ()
            if isinstance(c, ast.Constraint) and c.contype == ConstrType.CONSTR_FOREIGN and c.pktable]


def _alter_cmd_lock(cmd: ast.AlterTableCmd) -> tuple[LockMode, list[TableRef]]:
    """Lock on the altered table, plus other tables locked (referenced tables of a new FK)."""
    sub = cmd.subtype
    if sub in _SHARE_UPDATE_EXCLUSIVE_CMDS:
        return LockMode.SHARE_UPDATE_EXCLUSIVE, []
    if sub in _SHARE_ROW_EXCLUSIVE_CMDS:
        return LockMode.SHARE_ROW_EXCLUSIVE, []
    if sub == AlterTableType.AT_DetachPartition:
        return (LockMode.SHARE_UPDATE_EXCLUSIVE if cmd.def_.concurrent else LockMode.ACCESS_EXCLUSIVE), []
    if sub == AlterTableType.AT_AddConstraint and isinstance(cmd.def_, ast.Constraint):
        if cmd.def_.contype == ConstrType.CONSTR_FOREIGN:
            return LockMode.SHARE_ROW_EXCLUSIVE, _fk_targets([cmd.def_])
        return LockMode.ACCESS_EXCLUSIVE, []
    if sub == AlterTableType.AT_AddColumn and isinstance(cmd.def_, ast.ColumnDef):
        return LockMode.ACCESS_EXCLUSIVE, _fk_targets(cmd.def_.constraints)
    return LockMode.ACCESS_EXCLUSIVE, []


# Several rules and the state ask about the same statement in a row: remember the last answer
# (by identity; the cache holds the node, so its id cannot be reused). Callers must not mutate it.
_last: tuple[Any, dict] = (None, {})


def locks_taken(node: Any) -> dict[TableRef, LockMode]:
    """Relation -> strongest lock the statement requests. Relations are named as written; for
    DROP INDEX / REINDEX INDEX that is the index's name (its table is not in the statement).
    The dict is shared: read it, do not change it."""
    global _last
    if _last[0] is node:
        return _last[1]
    out = _locks_taken(node)
    _last = (node, out)
    return out


def _locks_taken(node: Any) -> dict[TableRef, LockMode]:
    out: dict[TableRef, LockMode] = {}
    if isinstance(node, ast.AlterTableStmt):
        table = pg.ref(node.relation)
        if node.objtype != ObjectType.OBJECT_TABLE:
            _merge(out, table, LockMode.ACCESS_EXCLUSIVE)
            return out
        for cmd in pg.alter_cmds(node):
            mode, others = _alter_cmd_lock(cmd)
            _merge(out, table, mode)
            for other in others:
                _merge(out, other, LockMode.SHARE_ROW_EXCLUSIVE)
    elif isinstance(node, ast.RenameStmt) and node.relation is not None:
        if node.renameType == ObjectType.OBJECT_INDEX:
            _merge(out, pg.ref(node.relation, kind="index"), LockMode.SHARE_UPDATE_EXCLUSIVE)
        else:
            _merge(out, pg.ref(node.relation), LockMode.ACCESS_EXCLUSIVE)
    elif isinstance(node, ast.IndexStmt):
        _merge(out, pg.ref(node.relation),
               LockMode.SHARE_UPDATE_EXCLUSIVE if node.concurrent else LockMode.SHARE)
    elif isinstance(node, ast.DropStmt):
        relations = {ObjectType.OBJECT_TABLE, ObjectType.OBJECT_VIEW, ObjectType.OBJECT_MATVIEW,
                     ObjectType.OBJECT_SEQUENCE, ObjectType.OBJECT_FOREIGN_TABLE, ObjectType.OBJECT_INDEX}
        on_table = {ObjectType.OBJECT_TRIGGER, ObjectType.OBJECT_RULE, ObjectType.OBJECT_POLICY}
        if node.removeType in relations:
            mode = (LockMode.SHARE_UPDATE_EXCLUSIVE
                    if node.removeType == ObjectType.OBJECT_INDEX and node.concurrent
                    else LockMode.ACCESS_EXCLUSIVE)
            kind = "index" if node.removeType == ObjectType.OBJECT_INDEX else "table"
            for obj in node.objects:
                _merge(out, pg.ref_from_names(obj, kind=kind), mode)
        elif node.removeType in on_table:
            for obj in node.objects:  # DROP TRIGGER trg ON tbl -> names (tbl..., trg)
                if len(obj) > 1:
                    _merge(out, pg.ref_from_names(obj[:-1]), LockMode.ACCESS_EXCLUSIVE)
    elif isinstance(node, ast.TruncateStmt):
        for rv in node.relations:
            _merge(out, pg.ref(rv), LockMode.ACCESS_EXCLUSIVE)
    elif isinstance(node, ast.ReindexStmt):
        if pg.has_option(node.params, "concurrently"):
            mode = LockMode.SHARE_UPDATE_EXCLUSIVE
        else:
            # REINDEX TABLE takes SHARE on the table but ACCESS EXCLUSIVE on each index, so
            # reads that would use an index wait as well.
            mode = LockMode.ACCESS_EXCLUSIVE
        if node.relation is not None:
            kind = "index" if node.kind == ReindexObjectType.REINDEX_OBJECT_INDEX else "table"
            _merge(out, pg.ref(node.relation, kind=kind), mode)
        elif node.kind == ReindexObjectType.REINDEX_OBJECT_SCHEMA:
            _merge(out, TableRef(node.name, kind="schema"), mode)
        else:  # DATABASE / SYSTEM
            _merge(out, TableRef(node.name or "(current)", kind="database"), mode)
    elif isinstance(node, ast.ClusterStmt):
        _merge(out, pg.ref(node.relation) if node.relation else TableRef("(every clustered table)", kind="database"),
               LockMode.ACCESS_EXCLUSIVE)
    elif isinstance(node, ast.VacuumStmt):
        full = node.is_vacuumcmd and pg.has_option(node.options, "full")
        mode = LockMode.ACCESS_EXCLUSIVE if full else LockMode.SHARE_UPDATE_EXCLUSIVE
        for rel in node.rels or ():
            _merge(out, pg.ref(rel.relation), mode)
        if not node.rels:
            _merge(out, TableRef("(every table)", kind="database"), mode)
    elif isinstance(node, ast.LockStmt):
        for rv in node.relations:
            _merge(out, pg.ref(rv), LockMode(node.mode))
    elif isinstance(node, ast.CreateTrigStmt):
        _merge(out, pg.ref(node.relation), LockMode.SHARE_ROW_EXCLUSIVE)
    elif isinstance(node, ast.RuleStmt):
        _merge(out, pg.ref(node.relation), LockMode.ACCESS_EXCLUSIVE)
    elif isinstance(node, ast.CommentStmt) and node.objtype in (ObjectType.OBJECT_TABLE, ObjectType.OBJECT_COLUMN):
        names = node.object if isinstance(node.object, tuple) else ()
        if node.objtype == ObjectType.OBJECT_COLUMN:
            names = names[:-1]
        if names:
            _merge(out, pg.ref_from_names(names), LockMode.SHARE_UPDATE_EXCLUSIVE)
    elif isinstance(node, ast.RefreshMatViewStmt):
        _merge(out, pg.ref(node.relation),
               LockMode.EXCLUSIVE if node.concurrent else LockMode.ACCESS_EXCLUSIVE)
    elif isinstance(node, ast.CreateStmt):
        # A new table referencing an existing one locks the referenced table (SHARE ROW EXCLUSIVE)
        # to add the FK triggers; CREATE TABLE ... PARTITION OF locks the parent.
        for elt in node.tableElts or ():
            targets = _fk_targets([elt]) if isinstance(elt, ast.Constraint) else \
                _fk_targets(elt.constraints) if isinstance(elt, ast.ColumnDef) else []
            for target in targets:
                _merge(out, target, LockMode.SHARE_ROW_EXCLUSIVE)
        if node.partbound is not None:
            for parent in node.inhRelations or ():
                _merge(out, pg.ref(parent), LockMode.ACCESS_EXCLUSIVE)
    elif isinstance(node, (ast.UpdateStmt, ast.DeleteStmt, ast.InsertStmt)):
        _merge(out, pg.ref(node.relation), LockMode.ROW_EXCLUSIVE)
    elif isinstance(node, ast.MergeStmt):
        _merge(out, pg.ref(node.relation), LockMode.ROW_EXCLUSIVE)
    return out
