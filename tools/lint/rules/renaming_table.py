"""Renaming a table."""

id = "renaming-table"
severity = "error"
category = "destructive"
dialects = {"postgres", "mysql", "sqlite"}
message = "renaming a table breaks every client that still uses the old name"
why = """
Queries from the running application name the table; the moment it is renamed they fail, and
they keep failing until every server runs code that uses the new name.
"""
safe_rewrite = """
-- create the new table and move data over with dual writes, or keep the old name alive:
ALTER TABLE old_name RENAME TO new_name;
CREATE VIEW old_name AS SELECT * FROM new_name;  -- same transaction; simple views are updatable
-- drop the view once no client uses old_name
"""


def check(ctx):
    for table, new in ctx.facts.renamed_tables:
        if not ctx.is_new(table):
            yield ctx.hit(f"renaming table {table} to {new} breaks clients still using {table}")
