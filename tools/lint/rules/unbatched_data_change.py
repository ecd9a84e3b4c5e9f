"""UPDATE/DELETE of an existing table with no WHERE, or no visible batch bound."""

id = "unbatched-data-change"
severity = "error"
category = "data"
dialects = {"postgres", "mysql", "sqlite"}
message = "UPDATE/DELETE touches an unbounded number of rows in a single transaction"
why = """
One statement that updates or deletes a large share of a table locks every row it touches until
it commits, generates a burst of WAL/binlog that replicas must replay, and (on PostgreSQL) leaves
that many dead tuples for vacuum. Concurrent writers to those rows wait for the whole statement.
Processing a bounded batch per transaction (a key range, a LIMIT, a sub-select of ids) keeps each
lock short and lets the backfill be paused and resumed. Lookups by key (col = value, col IN (...))
count as bounded; the linter cannot see how many rows a filter like status = 'x' matches.
"""
safe_rewrite = """
-- one batch per transaction, driven by a key range (repeat with the next range until done):
UPDATE tbl SET col = ... WHERE id >= 1 AND id < 10001 AND col IS NULL;
-- or pick the batch in a sub-select:
UPDATE tbl SET col = ... WHERE id IN (SELECT id FROM tbl WHERE col IS NULL LIMIT 5000);
"""


def check(ctx):
    change = ctx.facts.data_change
    if change is None or change.bounded or ctx.is_new(change.table):
        return
    verb = change.verb.upper()
    if not change.has_where:
        yield ctx.hit(f"{verb} without WHERE touches every row of {change.table} in one transaction; "
                      f"process it in key-range batches")
    else:
        yield ctx.hit(f"{verb} on {change.table} has no key range or LIMIT bounding the batch; "
                      f"process it in key-range batches")
