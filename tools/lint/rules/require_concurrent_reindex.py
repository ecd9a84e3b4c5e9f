"""REINDEX without CONCURRENTLY (PostgreSQL 12+)."""

from pglast import ast
from pglast.enums import ReindexObjectType

from migsmith.tools.lint import pg

id = "require-concurrent-reindex"
severity = "error"
category = "locking"
message = "REINDEX without CONCURRENTLY blocks writes, and reads that use the index, until it finishes"
why = """
REINDEX rebuilds each index under an ACCESS EXCLUSIVE lock on the index and a SHARE lock on the
table: writes stop, and so do queries whose plans use that index. From PostgreSQL 12,
REINDEX CONCURRENTLY builds a replacement index next to the old one and swaps them.
"""
safe_rewrite = """
-- outside any transaction block:
REINDEX INDEX CONCURRENTLY idx_name;   -- or REINDEX TABLE CONCURRENTLY tbl;
"""
statements = {"ReindexStmt"}


def check(ctx):
    node = ctx.node
    if not isinstance(node, ast.ReindexStmt) or ctx.pg_version < 12:
        return
    if node.kind == ReindexObjectType.REINDEX_OBJECT_SYSTEM:
        return  # system catalogs cannot be reindexed concurrently; nothing better to suggest
    if not pg.has_option(node.params, "concurrently"):
        yield ctx.hit()
