"""ADD FOREIGN KEY (or ADD COLUMN ... REFERENCES) on an existing table without NOT VALID."""

from pglast.enums import ConstrType

from migsmith.tools.lint import pg
from migsmith.tools.lint.rules import _pg

id = "foreign-key-missing-not-valid"
severity = "error"
category = "locking"
message = "adding a foreign key without NOT VALID checks every row while blocking writes on both tables"
why = """
A validated foreign key is checked against every existing row as part of the ALTER TABLE, while
SHARE ROW EXCLUSIVE locks are held on the table and on the referenced table: writes to both stop
for the length of a full scan. Adding it NOT VALID is instant (new rows are still checked), and
VALIDATE CONSTRAINT later scans under a lock that lets reads and writes continue. An inline
REFERENCES on ADD COLUMN cannot be NOT VALID, so it is validated on the spot. A table created in
the same file is no exception once it has been filled from live tables (CREATE TABLE ... AS
SELECT, INSERT ... SELECT): nobody reads it yet, but checking its rows takes as long as they
are many, and the referenced table, which is live, is locked against writes meanwhile.
"""
safe_rewrite = """
ALTER TABLE tbl ADD CONSTRAINT tbl_col_fkey FOREIGN KEY (col) REFERENCES other (id) NOT VALID;
-- in a later transaction (or migration):
ALTER TABLE tbl VALIDATE CONSTRAINT tbl_col_fkey;
"""
statements = {"AlterTableStmt"}


def check(ctx):
    for table, con in _pg.added_constraints(ctx.node):
        if con.contype != ConstrType.CONSTR_FOREIGN or con.skip_validation:
            continue
        if not ctx.is_new(table):
            yield ctx.hit(f"foreign key on existing table {table} without NOT VALID is validated "
                          f"immediately, blocking writes to {table} and {con.pktable.relname}")
            continue
        filled = ctx.state.filled_from_live_tables(table)
        referenced = pg.ref(con.pktable)
        if filled is not None and not ctx.is_new(referenced):
            how, sources = filled
            yield ctx.hit(f"foreign key on {table}, just filled by {how} from "
                          f"{', '.join(str(s) for s in sources[:3])}, checks every copied row while "
                          f"writes to {referenced} are blocked; add it NOT VALID and validate it later")
    for table, coldef in _pg.added_columns(ctx.node):
        refs = _pg.constraints_of(coldef, ConstrType.CONSTR_FOREIGN)
        if refs and not ctx.is_new(table):
            yield ctx.hit(f"ADD COLUMN {coldef.colname} ... REFERENCES on existing table {table} "
                          f"validates the new foreign key at once; add the column, then the "
                          f"constraint NOT VALID")
