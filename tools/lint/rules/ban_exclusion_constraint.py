"""ADD CONSTRAINT ... EXCLUDE on an existing table."""

from pglast.enums import ConstrType

from migsmith.tools.lint.rules import _pg

id = "ban-exclusion-constraint"
severity = "error"
category = "locking"
message = "adding an EXCLUDE constraint builds its index under ACCESS EXCLUSIVE, with no concurrent alternative"
why = """
An exclusion constraint is backed by an index built inside the ALTER TABLE while ACCESS
EXCLUSIVE is held, so the table is unreadable and unwritable for the whole build. Unlike UNIQUE,
there is no CREATE INDEX CONCURRENTLY + USING INDEX path for exclusion constraints, and no
NOT VALID form.
"""
safe_rewrite = """
-- there is no online form: declare it when the table is created, while it is still empty,
CREATE TABLE booking (room int, during tstzrange, EXCLUDE USING gist (room WITH =, during WITH &&));
-- or, for a large existing table, add it in a maintenance window (or build a new table with the
-- constraint, copy the rows over in batches and swap the tables)
"""
statements = {"AlterTableStmt"}


def check(ctx):
    for table, con in _pg.added_constraints(ctx.node):
        if con.contype == ConstrType.CONSTR_EXCLUSION and not ctx.is_new(table):
            name = f" {con.conname}" if con.conname else ""
            yield ctx.hit(f"EXCLUDE constraint{name} on existing table {table} builds its index under "
                          f"ACCESS EXCLUSIVE; exclusion constraints cannot be built concurrently")
