"""Several ACCESS EXCLUSIVE ALTER TABLEs on one table in one transaction."""

from pglast import ast

from migsmith.tools.lint import pg
from migsmith.tools.lint.cost import slow_reason
from migsmith.tools.lint.locks import LockMode, locks_taken

id = "combine-alter-table"
severity = "warning"
category = "locking"
message = "another scanning ALTER TABLE on the same table in this transaction; combine them into one statement"
why = """
An ALTER TABLE that scans or rewrites the table (SET NOT NULL, a type change, a validated
constraint) does so on its own, and in one transaction the ACCESS EXCLUSIVE lock taken by the
first ALTER is held across all of them. One ALTER TABLE with several comma-separated subcommands
does a single pass and holds the lock once, for less time. Catalog-only ALTERs are not reported,
and separate transactions are fine: the lock is released in between.
"""
safe_rewrite = """
ALTER TABLE tbl
  ALTER COLUMN a SET NOT NULL,
  ALTER COLUMN b SET NOT NULL;
"""
statements = {"AlterTableStmt"}


def check(ctx):
    node = ctx.node
    tx = ctx.state.tx
    if tx is None or not isinstance(node, ast.AlterTableStmt) or not pg.alter_cmds(node):
        return
    table = pg.ref(node.relation)
    if ctx.is_new(table) or locks_taken(node).get(table) != LockMode.ACCESS_EXCLUSIVE:
        return
    reason = slow_reason(node, ctx.state)
    if reason is not None and tx.has_altered(table):
        yield ctx.hit(f"this ALTER TABLE {table} {reason}, after an earlier ALTER TABLE {table} in the "
                      f"same transaction: fold the subcommands into one statement so the table is "
                      f"locked and scanned once")
