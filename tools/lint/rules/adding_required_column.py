"""ADD COLUMN ... NOT NULL without a default on an existing table."""

from pglast.enums import ConstrType

from migsmith.tools.lint import pg
from migsmith.tools.lint.rules import _pg

id = "adding-required-column"
severity = "error"
category = "breaking"
message = "ADD COLUMN NOT NULL without a DEFAULT fails on a table that has rows, and breaks existing inserts"
why = """
Existing rows would get NULL in the new column, so PostgreSQL rejects the ALTER as soon as the
table holds a row: the migration works on an empty development database and fails in production.
Even when it succeeds, application code that does not yet know the column starts failing its
INSERTs.
"""
safe_rewrite = """
-- either give it a non-volatile default (instant on PostgreSQL 11+):
ALTER TABLE tbl ADD COLUMN col boolean NOT NULL DEFAULT false;
-- or add it nullable, backfill in batches, then make it NOT NULL via a validated CHECK:
ALTER TABLE tbl ADD COLUMN col text;
"""
statements = {"AlterTableStmt"}

# Values come from somewhere other than a DEFAULT clause for these.
_SELF_FILLING = (ConstrType.CONSTR_DEFAULT, ConstrType.CONSTR_IDENTITY, ConstrType.CONSTR_GENERATED)


def check(ctx):
    for table, coldef in _pg.added_columns(ctx.node):
        if ctx.is_new(table):
            continue
        not_null = coldef.is_not_null or _pg.constraints_of(
            coldef, ConstrType.CONSTR_NOTNULL, ConstrType.CONSTR_PRIMARY)
        if not not_null or _pg.constraints_of(coldef, *_SELF_FILLING):
            continue
        if pg.type_info(coldef.typeName).name in pg.SERIAL_TYPES:
            continue  # serial columns carry an implicit nextval() default
        yield ctx.hit(f"new column {table}.{coldef.colname} is NOT NULL without a DEFAULT: the ALTER "
                      f"fails if {table} has rows, and inserts that omit the column start failing")
