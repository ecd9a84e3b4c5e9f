"""A statement that queues for a blocking lock with no lock_timeout in force."""

from migsmith.tools.lint.locks import locks_taken

id = "require-lock-timeout"
severity = "error"
category = "locking"
message = "this statement waits for a blocking lock with no lock_timeout set"
why = """
A lock request waits behind every transaction already using the table, and while it waits it
blocks every later request that conflicts with it. A migration waiting for ACCESS EXCLUSIVE
behind one slow report therefore stalls all reads and writes of the table, for as long as the
report runs. A short lock_timeout makes the migration give up (and be retried) instead of
taking the application down. Statements whose lock does not block reads or writes (CREATE INDEX
CONCURRENTLY, VALIDATE CONSTRAINT) and tables created earlier in the file are not reported.
"""
safe_rewrite = """
SET lock_timeout = '2s';          -- or SET LOCAL lock_timeout = '2s'; inside BEGIN ... COMMIT
ALTER TABLE tbl ADD COLUMN col text;
-- retry the migration (with backoff) if it fails with "canceling statement due to lock timeout"
"""


def blocking_locks(ctx):
    """(table, mode) pairs the statement requests that block ordinary traffic."""
    if ctx.dialect != "postgres":
        return []
    return [(t, m) for t, m in locks_taken(ctx.node).items() if m.dangerous and not ctx.is_new(t)]


def _already_held(ctx, table, mode) -> bool:
    held = ctx.state.held_lock(table)
    return held is not None and held >= mode


def check(ctx):
    if ctx.state.lock_timeout.active:
        return
    # A lock this transaction already holds is granted at once: nothing to wait for.
    locks = [(t, m) for t, m in blocking_locks(ctx) if not _already_held(ctx, t, m)]
    if locks:
        table, mode = max(locks, key=lambda tm: tm[1])
        yield ctx.hit(f"waits for {mode.pg_name} on {table} with no lock_timeout set; while it waits, "
                      f"{'all queries' if mode.blocks_reads else 'all writes'} on it queue behind it")
