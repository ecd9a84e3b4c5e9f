"""ALTER TABLE ... DETACH PARTITION without CONCURRENTLY (PostgreSQL 14+)."""

from pglast.enums import AlterTableType

from migsmith.tools.lint import pg

id = "require-concurrent-partition-detach"
severity = "error"
category = "locking"
message = "DETACH PARTITION without CONCURRENTLY locks the whole partitioned table (ACCESS EXCLUSIVE)"
why = """
Detaching a partition the plain way takes ACCESS EXCLUSIVE on the parent table, so every query
on any partition waits. From PostgreSQL 14, DETACH PARTITION ... CONCURRENTLY only needs SHARE
UPDATE EXCLUSIVE on the parent and waits for running queries instead of blocking new ones.
"""
safe_rewrite = """
-- outside any transaction block (PostgreSQL 14+):
ALTER TABLE parent DETACH PARTITION part CONCURRENTLY;
-- if interrupted: ALTER TABLE parent DETACH PARTITION part FINALIZE;
"""
statements = {"AlterTableStmt"}


def check(ctx):
    if ctx.pg_version < 14:
        return
    for cmd in pg.alter_cmds(ctx.node):
        if cmd.subtype == AlterTableType.AT_DetachPartition and not cmd.def_.concurrent:
            if not ctx.is_new(pg.ref(ctx.node.relation)):
                yield ctx.hit()
