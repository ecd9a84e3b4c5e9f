"""A blocking-lock statement with no statement_timeout in force."""

from migsmith.tools.lint.rules.require_lock_timeout import blocking_locks

id = "require-statement-timeout"
severity = "warning"
category = "locking"
message = "this statement holds a blocking lock with no statement_timeout set"
why = """
lock_timeout only bounds the wait for the lock. Once granted, the statement keeps the lock until
it finishes, and an unexpected table scan or rewrite can hold it for minutes. statement_timeout
caps that. It is deliberately not required for CREATE INDEX CONCURRENTLY and similar long,
non-blocking statements, where a short timeout would only cancel the build and leave an invalid
index behind.
"""
safe_rewrite = """
SET statement_timeout = '5s';     -- or SET LOCAL inside BEGIN ... COMMIT
ALTER TABLE tbl ALTER COLUMN col SET DEFAULT 0;
"""


def check(ctx):
    if ctx.state.statement_timeout.active:
        return
    locks = blocking_locks(ctx)
    if locks:
        table, mode = max(locks, key=lambda tm: tm[1])
        yield ctx.hit(f"holds {mode.pg_name} on {table} with no statement_timeout set")
