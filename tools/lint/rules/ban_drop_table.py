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
just copied, all of them, into a new table (SQLite's table rebuild, a table swap) are not
reported. A copy that can leave data behind does not excuse the drop: a WHERE, LIMIT, DISTINCT
or GROUP BY on it, or columns of the table (as declared in the file) that it does not read. A
copy split over two or more WHERE clauses into the same table (each kind of row copied
separately) is taken as covering the table: the linter cannot prove the conditions complement
each other, and says so in docs/lint.md.
"""
safe_rewrite = """
-- 1. release code that no longer uses the table; keep a backup or rename it aside
-- 2. in a later migration:
DROP TABLE IF EXISTS tbl;   -- with a migsmith:disable ban-drop-table comment explaining why
"""


def _split_copy(partial) -> bool:
    """Two or more WHERE copies into one table (``WHERE is_admin`` / ``WHERE NOT is_admin``)."""
    by_target: dict = {}
    for copy, _ in partial:
        if copy.limited_by == "WHERE":
            by_target.setdefault((copy.target.schema, copy.target.name), []).append(copy)
    return any(len(copies) >= 2 for copies in by_target.values())


def check(ctx):
    for table in ctx.facts.dropped_tables:
        # Not reported: tables made in this file, session-private temporary tables, and a table
        # whose rows were just copied into a new one (SQLite's 12-step rebuild, table swaps).
        if ctx.is_new(table) or table.temporary or ctx.state.was_copied_into_new_table(table):
            continue
        partial = ctx.state.partial_copies_of(table)
        if partial and _split_copy(partial):
            continue
        if partial:
            copy, why = partial[0]
            yield ctx.hit(f"dropping table {table} after copying it into {copy.target}, but {why}: "
                          f"what was not copied is lost")
            continue
        yield ctx.hit(f"dropping table {table} destroys its data and breaks code still using it")
