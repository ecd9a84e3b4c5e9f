"""Slow work in a transaction that already holds ACCESS EXCLUSIVE on an existing table."""

from migsmith.tools.lint.cost import slow_reason

id = "statement-after-access-exclusive"
severity = "warning"
category = "locking"
message = "a slow statement runs while the transaction holds ACCESS EXCLUSIVE on a table"
why = """
Locks are released only when the transaction ends. Once a statement has taken ACCESS EXCLUSIVE
(most ALTER TABLE forms), every later statement in the same transaction extends the time in
which nobody can even read that table. Catalog-only statements (CREATE FUNCTION/TRIGGER, SET
DEFAULT, NOT VALID constraints, renames) cost milliseconds and are not reported; scans,
rewrites, index builds, data changes and queries are: commit first, or fold the change into the
same ALTER TABLE.
"""
safe_rewrite = """
BEGIN;
SET LOCAL lock_timeout = '2s';
ALTER TABLE tbl ADD COLUMN a text, ADD COLUMN b text;   -- one statement, one short lock
COMMIT;
-- slow work (backfills, index builds, validation, queries) in later transactions
"""


def check(ctx):
    tx = ctx.state.tx
    if tx is None or not tx.access_exclusive or ctx.dialect != "postgres":
        return
    reason = slow_reason(ctx.node, ctx.state)
    if reason is None:
        return
    locked = tx.access_exclusive
    names = ", ".join(str(t) for t in locked[:3]) + (f" and {len(locked) - 3} more" if len(locked) > 3 else "")
    yield ctx.hit(f"this statement {reason} while the transaction still holds ACCESS EXCLUSIVE on "
                  f"{names}; every query on {'it' if len(locked) == 1 else 'them'} waits until COMMIT")
