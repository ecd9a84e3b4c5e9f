"""Dropping a table."""

id = "ban-drop-table"
severity = "error"
category = "destructive"
dialects = {"postgres", "mysql", "sqlite"}
message = "dropping a table destroys its data and breaks code that still uses it"
why = """
DROP TABLE removes the data for good and fails every query that still names the table; on
PostgreSQL it also waits for ACCESS EXCLUSIVE, stalling traffic to the table while it waits.
Tables created earlier in the same file, temporary tables, and a table whose rows the file has
just copied into a new table (SQLite's table rebuild, a table swap) are not reported.
"""
safe_rewrite = """
-- 1. release code that no longer uses the table; keep a backup or rename it aside
-- 2. in a later migration:
DROP TABLE IF EXISTS tbl;   -- with a migsmith:disable ban-drop-table comment explaining why
"""


def check(ctx):
    for table in ctx.facts.dropped_tables:
        # Not reported: tables made in this file, session-private temporary tables, and a table
        # whose rows were just copied into a new one (SQLite's 12-step rebuild, table swaps).
        if ctx.is_new(table) or table.temporary or ctx.state.was_copied_into_new_table(table):
            continue
        yield ctx.hit(f"dropping table {table} destroys its data and breaks code still using it")
