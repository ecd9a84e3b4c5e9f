"""CREATE INDEX without CONCURRENTLY on a table that already exists."""

from pglast import ast

from migsmith.tools.lint import pg

id = "require-concurrent-index-creation"
severity = "error"
category = "locking"
message = "CREATE INDEX without CONCURRENTLY blocks writes to the table until the index is built"
why = """
A plain CREATE INDEX holds a SHARE lock on the table for the whole build. Reads carry on, but
every INSERT, UPDATE and DELETE waits, and on a large table the build takes minutes. The
CONCURRENTLY form builds the index in several passes under a lock that does not block writes.
"""
safe_rewrite = """
-- in its own migration, outside any transaction block:
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_name ON tbl (col);
-- if it fails, the index is left INVALID: DROP INDEX CONCURRENTLY IF EXISTS idx_name; then retry
"""
statements = {"IndexStmt"}


def check(ctx):
    node = ctx.node
    if isinstance(node, ast.IndexStmt) and not node.concurrent:
        table = pg.ref(node.relation)
        if not ctx.is_new(table):
            yield ctx.hit(f"CREATE INDEX on existing table {table} without CONCURRENTLY blocks "
                          f"writes until the index is built")
