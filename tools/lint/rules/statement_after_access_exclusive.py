"""More work in a transaction that already holds ACCESS EXCLUSIVE on an existing table."""

from pglast import ast


id = "statement-after-access-exclusive"
severity = "warning"
category = "locking"
message = "this statement runs while the transaction holds ACCESS EXCLUSIVE on a table"
why = """
Locks are released only when the transaction ends. Once a statement has taken ACCESS EXCLUSIVE
(most ALTER TABLE forms), every later statement in the same transaction extends the time in
which nobody can even read that table. Keep the locked window to the one statement that needs
it: commit first, or fold the work into the same ALTER TABLE.
"""
safe_rewrite = """
BEGIN;
SET LOCAL lock_timeout = '2s';
ALTER TABLE tbl ADD COLUMN a text, ADD COLUMN b text;   -- one statement, one short lock
COMMIT;
-- slow work (backfills, index builds, queries) in later transactions
"""

# Statements that do not extend the locked window in any meaningful way.
_HARMLESS = (ast.TransactionStmt, ast.VariableSetStmt, ast.VariableShowStmt)


def check(ctx):
    tx = ctx.state.tx
    if tx is None or isinstance(ctx.node, _HARMLESS):
        return
    locked = tx.access_exclusive
    if locked:
        names = ", ".join(str(t) for t in locked[:3]) + (f" and {len(locked) - 3} more" if len(locked) > 3 else "")
        yield ctx.hit(f"runs while this transaction still holds ACCESS EXCLUSIVE on {names}; "
                      f"every query on {'it' if len(locked) == 1 else 'them'} waits until COMMIT")
