"""VALIDATE CONSTRAINT while a stronger lock on the table is still held."""

from pglast.enums import AlterTableType

from migsmith.tools.lint import pg
from migsmith.tools.lint.locks import LockMode, locks_taken

id = "validate-in-same-transaction"
severity = "error"
category = "locking"
message = "VALIDATE CONSTRAINT runs while this transaction still holds a blocking lock on the table"
why = """
The point of NOT VALID + VALIDATE is that the validating scan only needs SHARE UPDATE EXCLUSIVE,
which lets reads and writes continue. Locks are held until the transaction ends, so validating
in the same transaction that added the constraint (or in an ALTER TABLE that also does something
needing ACCESS EXCLUSIVE) scans the whole table under the earlier, blocking lock and undoes the
benefit.
"""
safe_rewrite = """
BEGIN;
ALTER TABLE tbl ADD CONSTRAINT c CHECK (...) NOT VALID;   -- or FOREIGN KEY ... NOT VALID
COMMIT;
-- a separate transaction, with nothing else in the ALTER TABLE:
ALTER TABLE tbl VALIDATE CONSTRAINT c;
"""
statements = {"AlterTableStmt"}


def check(ctx):
    node = ctx.node
    cmds = pg.alter_cmds(node)
    validates = [c for c in cmds if c.subtype == AlterTableType.AT_ValidateConstraint]
    if not validates:
        return
    table = pg.ref(node.relation)
    if ctx.is_new(table):
        return
    names = ", ".join(c.name for c in validates)
    own = locks_taken(node).get(table)
    if own is not None and own > LockMode.SHARE_UPDATE_EXCLUSIVE:
        yield ctx.hit(f"VALIDATE CONSTRAINT {names} is combined with subcommands that take "
                      f"{own.pg_name} on {table}, so the validating scan blocks that table")
        return
    tx = ctx.state.tx
    if tx is None:
        return
    added_here = [c.name for c in validates if any(t.matches(table) and n == c.name for t, n in tx.not_valid_added)]
    held = ctx.state.held_lock(table)
    if added_here:
        yield ctx.hit(f"VALIDATE CONSTRAINT {', '.join(added_here)} runs in the same transaction "
                      f"that added it NOT VALID, so the scan happens under the lock taken by the ADD")
    elif held is not None and held > LockMode.SHARE_UPDATE_EXCLUSIVE:
        yield ctx.hit(f"VALIDATE CONSTRAINT {names} runs while this transaction holds "
                      f"{held.pg_name} on {table} from an earlier statement")
