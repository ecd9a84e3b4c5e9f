"""Renaming a column."""

id = "renaming-column"
severity = "error"
category = "destructive"
dialects = {"postgres", "mysql", "sqlite"}
message = "renaming a column breaks every client that still uses the old name"
why = """
The rename is instant, but application servers running the previous release keep sending
queries with the old name and fail from that moment until they are all replaced. There is no
moment when old and new code can both work unless the change is spread over several deploys.
"""
safe_rewrite = """
-- expand/contract over several releases:
ALTER TABLE tbl ADD COLUMN new_name text;         -- 1. add, write both, backfill in batches
-- 2. switch reads to new_name, stop writing old_name
ALTER TABLE tbl DROP COLUMN old_name;            -- 3. later release
-- (or a view exposing the old name while clients migrate)
"""


def check(ctx):
    for table, old, new in ctx.facts.renamed_columns:
        if not ctx.is_new(table):
            yield ctx.hit(f"renaming {table}.{old} to {new} breaks clients still using {old}")
