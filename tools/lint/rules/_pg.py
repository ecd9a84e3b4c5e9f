"""Shared PostgreSQL helpers for rule modules (not a rule: the registry skips ``_`` modules)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pglast import ast
from pglast.enums import AlterTableType, ConstrType

from migsmith.tools.lint import pg
from migsmith.tools.lint.facts import TableRef


def added_columns(node: Any) -> Iterator[tuple[TableRef, ast.ColumnDef]]:
    """``ALTER TABLE t ADD COLUMN ...`` -> (t, column definition) per added column."""
    for cmd in pg.alter_cmds(node):
        if cmd.subtype == AlterTableType.AT_AddColumn and isinstance(cmd.def_, ast.ColumnDef):
            yield pg.ref(node.relation), cmd.def_


def added_constraints(node: Any) -> Iterator[tuple[TableRef, ast.Constraint]]:
    """``ALTER TABLE t ADD CONSTRAINT ...`` -> (t, constraint)."""
    for cmd in pg.alter_cmds(node):
        if cmd.subtype == AlterTableType.AT_AddConstraint and isinstance(cmd.def_, ast.Constraint):
            yield pg.ref(node.relation), cmd.def_


KEY_CONSTRAINTS = (ConstrType.CONSTR_PRIMARY, ConstrType.CONSTR_FOREIGN)
# camelCase key names ("userId", "authorID"): a lower-case letter or digit, then Id or ID
_CAMEL_KEY = re.compile(r"[a-z0-9](?:Id|ID)$")


def is_key_name(name: str) -> bool:
    """id, *_id, and the camelCase *Id / *ID of ORMs such as Prisma."""
    return name.lower() == "id" or name.endswith("_id") or _CAMEL_KEY.search(name) is not None


def table_level_keys(create: ast.CreateStmt | None) -> set[str]:
    """Columns named in a CREATE TABLE's table-level PRIMARY KEY (...) / FOREIGN KEY (...)."""
    keys: set[str] = set()
    for elt in (create.tableElts or ()) if create is not None else ():
        if isinstance(elt, ast.Constraint):
            if elt.contype == ConstrType.CONSTR_PRIMARY:
                keys.update(k.sval for k in elt.keys or ())
            elif elt.contype == ConstrType.CONSTR_FOREIGN:
                keys.update(k.sval for k in elt.fk_attrs or ())
    return keys


def constraints_of(coldef: ast.ColumnDef, *kinds: ConstrType) -> list[ast.Constraint]:
    return [c for c in pg.column_constraints(coldef) if c.contype in kinds]


@dataclass(frozen=True)
class TypedColumn:
    table: TableRef
    column: str
    type: pg.TypeInfo
    coldef: ast.ColumnDef | None  # None for ALTER COLUMN ... TYPE
    in_create: ast.CreateStmt | None  # the CREATE TABLE it is declared in, if any


_last: tuple[Any, tuple] = (None, ())


def typed_columns(node: Any) -> tuple[TypedColumn, ...]:
    """Every column whose type the statement declares: CREATE TABLE columns, ADD COLUMN,
    ALTER COLUMN ... TYPE. Used by the type-taste rules, one after the other on the same
    statement: the last answer is kept (by identity; the cache holds the node)."""
    global _last
    if _last[0] is not node:
        _last = (node, tuple(_typed_columns(node)))
    return _last[1]


def _typed_columns(node: Any) -> Iterator[TypedColumn]:
    if isinstance(node, ast.CreateStmt):
        table = pg.ref(node.relation)
        for elt in node.tableElts or ():
            if isinstance(elt, ast.ColumnDef) and elt.typeName is not None:
                yield TypedColumn(table, elt.colname, pg.type_info(elt.typeName), elt, node)
    for cmd in pg.alter_cmds(node):
        table = pg.ref(node.relation)
        if not isinstance(cmd.def_, ast.ColumnDef) or cmd.def_.typeName is None:
            continue
        if cmd.subtype == AlterTableType.AT_AddColumn:
            yield TypedColumn(table, cmd.def_.colname, pg.type_info(cmd.def_.typeName), cmd.def_, None)
        elif cmd.subtype == AlterTableType.AT_AlterColumnType:
            yield TypedColumn(table, cmd.name, pg.type_info(cmd.def_.typeName), None, None)
