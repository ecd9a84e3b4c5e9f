"""ADD CONSTRAINT ... CHECK on an existing table without NOT VALID."""

from pglast.enums import ConstrType

from migsmith.tools.lint.rules import _pg

id = "check-missing-not-valid"
severity = "error"
category = "locking"
message = "adding a CHECK constraint without NOT VALID scans the table under an ACCESS EXCLUSIVE lock"
why = """
ALTER TABLE ... ADD CHECK takes ACCESS EXCLUSIVE and then reads every row to prove the
condition, so neither reads nor writes get through until the scan ends. Added NOT VALID, the
constraint is enforced for new rows at once without the scan; VALIDATE CONSTRAINT afterwards
checks the old rows under SHARE UPDATE EXCLUSIVE, which does not block reads or writes.
"""
safe_rewrite = """
ALTER TABLE tbl ADD CONSTRAINT tbl_amount_positive CHECK (amount > 0) NOT VALID;
-- in a later transaction:
ALTER TABLE tbl VALIDATE CONSTRAINT tbl_amount_positive;
"""
statements = {"AlterTableStmt"}


def check(ctx):
    for table, con in _pg.added_constraints(ctx.node):
        if con.contype == ConstrType.CONSTR_CHECK and not con.skip_validation and not ctx.is_new(table):
            name = f" {con.conname}" if con.conname else ""
            yield ctx.hit(f"CHECK constraint{name} on existing table {table} without NOT VALID "
                          f"scans every row under an ACCESS EXCLUSIVE lock")
