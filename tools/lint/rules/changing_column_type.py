"""ALTER COLUMN ... TYPE that rewrites the table."""

from pglast.enums import AlterTableType

from migsmith.tools.lint import pg

id = "changing-column-type"
severity = "error"
category = "rewrite"
message = "ALTER COLUMN ... TYPE rewrites the table and its indexes under an ACCESS EXCLUSIVE lock"
why = """
Changing a column's type normally rewrites every row and rebuilds every index on the table while
ACCESS EXCLUSIVE is held, so the table is unavailable for the duration. PostgreSQL skips the
rewrite only for binary-compatible changes: varchar(n) to a longer varchar or to text,
varchar/text to unconstrained varchar, numeric(p,s) to a larger precision with the same scale
(or to unconstrained numeric), varbit(n) to a longer varbit, cidr to inet, and only without a
USING expression that changes the value. When the old type is not visible in the file we cannot
tell, so the change is reported.
"""
safe_rewrite = """
-- expand/contract instead of changing in place:
ALTER TABLE tbl ADD COLUMN col_new bigint;
-- write both columns from the application (or a trigger), backfill col_new in batches,
-- switch reads, then:
ALTER TABLE tbl DROP COLUMN col;   -- in a later release
"""
statements = {"AlterTableStmt"}

def check(ctx):
    node = ctx.node
    for cmd in pg.alter_cmds(node):
        if cmd.subtype != AlterTableType.AT_AlterColumnType:
            continue
        table = pg.ref(node.relation)
        if ctx.is_new(table):
            continue
        new = pg.type_info(cmd.def_.typeName)
        old = ctx.state.column_type(table, cmd.name)
        trivial = pg.trivial_using(cmd.def_.raw_default, cmd.name)
        if old is not None and trivial and pg.binary_compatible(old, new):
            continue
        if not trivial:
            detail = "the USING expression changes every value"
        elif old is None:
            detail = ("the current type is not visible in this file; if it is binary-compatible "
                      "(e.g. varchar(n) -> text) disable this rule for the statement")
        elif old.name == "timestamp" and new.name == "timestamptz":
            detail = "timestamp -> timestamptz is only rewrite-free on PostgreSQL 12+ with TimeZone = UTC"
        else:
            detail = f"{old} -> {new} is not binary-compatible"
        yield ctx.hit(f"changing {table}.{cmd.name} to {new} rewrites the table and its indexes under "
                      f"ACCESS EXCLUSIVE ({detail})")
