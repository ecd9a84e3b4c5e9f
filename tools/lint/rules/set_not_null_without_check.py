"""SET NOT NULL (or ADD CONSTRAINT ... NOT NULL) without a validated CHECK (col IS NOT NULL)."""

from pglast.enums import AlterTableType, ConstrType

from migsmith.tools.lint import pg

id = "set-not-null-without-check"
severity = "error"
category = "locking"
message = "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock"
why = """
To make a column NOT NULL, PostgreSQL reads every row while holding ACCESS EXCLUSIVE, blocking
all reads and writes for the length of a full scan. From PostgreSQL 12 it skips the scan when a
validated CHECK (col IS NOT NULL) constraint already proves the same thing, and that CHECK can be
added NOT VALID and validated without blocking traffic. Before 12 there is no way around the scan.
"""
safe_rewrite = """
ALTER TABLE tbl ADD CONSTRAINT tbl_col_not_null CHECK (col IS NOT NULL) NOT VALID;
-- later, separate transaction:
ALTER TABLE tbl VALIDATE CONSTRAINT tbl_col_not_null;
-- then (PostgreSQL 12+, uses the constraint instead of scanning):
ALTER TABLE tbl ALTER COLUMN col SET NOT NULL;
ALTER TABLE tbl DROP CONSTRAINT tbl_col_not_null;
"""
statements = {"AlterTableStmt"}


def _columns_made_not_null(node):
    for cmd in pg.alter_cmds(node):
        if cmd.subtype == AlterTableType.AT_SetNotNull:
            yield cmd.name
        elif cmd.subtype == AlterTableType.AT_AddConstraint and \
                getattr(cmd.def_, "contype", None) == ConstrType.CONSTR_NOTNULL and not cmd.def_.skip_validation:
            # PostgreSQL 18: ALTER TABLE t ADD CONSTRAINT nn NOT NULL col
            for key in cmd.def_.keys or ():
                yield key.sval


def check(ctx):
    node = ctx.node
    columns = list(_columns_made_not_null(node))
    if not columns:
        return
    table = pg.ref(node.relation)
    if ctx.is_new(table):
        return
    for column in columns:
        if ctx.pg_version < 12:
            yield ctx.hit(f"SET NOT NULL on {table}.{column} scans the table under ACCESS EXCLUSIVE; "
                          f"before PostgreSQL 12 not even a validated CHECK avoids the scan")
        elif not ctx.state.has_validated_not_null_check(table, column):
            yield ctx.hit(f"SET NOT NULL on {table}.{column} scans the table under ACCESS EXCLUSIVE; "
                          f"no validated CHECK ({column} IS NOT NULL) precedes it")
