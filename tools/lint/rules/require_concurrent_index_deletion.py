"""DROP INDEX without CONCURRENTLY."""

from pglast import ast
from pglast.enums import ObjectType

id = "require-concurrent-index-deletion"
severity = "error"
category = "locking"
message = "DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the index's table"
why = """
DROP INDEX locks the table it belongs to in ACCESS EXCLUSIVE mode: while it waits for running
queries to finish, every new read and write of that table queues behind it. DROP INDEX
CONCURRENTLY waits for those queries without blocking new ones.
"""
safe_rewrite = """
-- outside any transaction block, one index per statement:
DROP INDEX CONCURRENTLY IF EXISTS idx_name;
"""
statements = {"DropStmt"}


def check(ctx):
    node = ctx.node
    if isinstance(node, ast.DropStmt) and node.removeType == ObjectType.OBJECT_INDEX and not node.concurrent:
        yield ctx.hit()
