"""CONCURRENTLY (index create/drop, REINDEX, partition detach) inside a transaction block."""

from migsmith.tools.lint import pg
from migsmith.tools.lint.runners import OPT_OUT

id = "ban-concurrently-in-transaction"
severity = "error"
category = "transaction"
message = "a CONCURRENTLY statement cannot run inside a transaction block; the migration will fail"
why = """
CREATE INDEX CONCURRENTLY, DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY and DETACH PARTITION
CONCURRENTLY commit internally between their phases, so PostgreSQL refuses them inside
BEGIN ... COMMIT ("cannot run inside a transaction block"). Wrapping them in a transaction,
explicitly or through a migration runner that does so, makes the migration fail.
"""
safe_rewrite = """
-- its own migration file, without BEGIN/COMMIT, with the runner's transaction turned off
-- (e.g. Rails `disable_ddl_transaction!`, Django `atomic = False`, Flyway `executeInTransaction=false`):
SET lock_timeout = '2s';
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_name ON tbl (col);
"""
statements = {"AlterTableStmt", "DropStmt", "IndexStmt", "ReindexStmt"}

_WHAT = {
    "IndexStmt": "CREATE INDEX CONCURRENTLY",
    "DropStmt": "DROP INDEX CONCURRENTLY",
    "ReindexStmt": "REINDEX CONCURRENTLY",
    "AlterTableStmt": "DETACH PARTITION CONCURRENTLY",
}


def check(ctx):
    if not ctx.in_transaction or not pg.is_concurrent(ctx.node):
        return
    what = _WHAT.get(ctx.stmt.kind, "this CONCURRENTLY statement")
    runner = ctx.state.runner.runner if ctx.state.runner is not None else None
    if ctx.state.tx.origin == "runner" and runner in OPT_OUT:
        where = f"{runner} runs this migration in a transaction (turn that off with {OPT_OUT[runner]})"
    elif ctx.state.tx.origin == "runner":
        where = "the migration runner wraps this file in a transaction (assume_in_transaction)"
    else:
        where = f"it is inside the transaction opened on line {ctx.state.tx.begin.line}"
    yield ctx.hit(f"{what} cannot run inside a transaction block, and {where}")
