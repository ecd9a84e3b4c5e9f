"""Dropping a column."""

id = "ban-drop-column"
severity = "error"
category = "destructive"
dialects = {"postgres", "mysql", "sqlite"}
message = "dropping a column destroys its data and breaks code that still reads or writes it"
why = """
The data is gone (a rollback cannot bring it back), and application servers still running code
that selects or inserts the column fail until they are replaced. ORMs that list every column in
their queries fail even when the code never uses the column itself.
"""
safe_rewrite = """
-- 1. release code that no longer reads or writes the column (ORMs: mark it ignored first)
-- 2. in a later migration, once nothing uses it:
ALTER TABLE tbl DROP COLUMN IF EXISTS col;   -- migsmith:disable ban-drop-column on that statement
"""


def check(ctx):
    for table, column in ctx.facts.dropped_columns:
        if not ctx.is_new(table):
            yield ctx.hit(f"dropping {table}.{column} destroys its data and breaks code still using it")
