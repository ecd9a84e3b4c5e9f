"""BEGIN without a matching COMMIT by the end of the file."""

id = "uncommitted-transaction"
severity = "error"
category = "transaction"
dialects = {"postgres", "sqlite"}
message = "BEGIN without a matching COMMIT: the migration's changes are never committed"
why = """
A transaction still open when the file ends is rolled back when the connection closes, so
the migration appears to have run and changed nothing; or, when the runner reuses the
connection, later work silently joins the open transaction and its locks are held until
someone commits.
"""
safe_rewrite = """
BEGIN;
-- ... statements ...
COMMIT;
"""


statements: set[str] = set()  # nothing to check per statement: see check_end


def check(ctx):
    return ()


def check_end(ctx):
    tx = ctx.state.tx
    # With assume_in_transaction the runner commits whatever is open at the end of the file.
    if tx is not None and tx.origin == "explicit" and not ctx.state.assume_in_transaction:
        yield ctx.hit(f"the transaction opened on line {tx.begin.line} is never committed", stmt=tx.begin)
