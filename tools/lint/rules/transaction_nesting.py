"""BEGIN inside a transaction block, or COMMIT/ROLLBACK with none open (or the runner's)."""

id = "transaction-nesting"
severity = "error"
category = "transaction"
dialects = {"postgres", "sqlite"}
message = "transaction control here does not do what it appears to do"
why = """
Transactions do not nest. PostgreSQL ignores a BEGIN inside an open block (with only a warning),
so the first COMMIT ends the outer transaction and everything after it runs in autocommit
mode, where a failure leaves the migration half applied; SQLite rejects the nested BEGIN
outright. When the migration runner already wraps the file in a transaction, a COMMIT or ROLLBACK
in the file ends the runner's transaction early in the same way.
"""
safe_rewrite = """
-- let exactly one party own the transaction: either the runner (no BEGIN/COMMIT in the file)
-- or the file (runner's transaction turned off) with one BEGIN ... COMMIT per unit of work
"""


def check(ctx):
    event = ctx.facts.tx_event
    tx = ctx.state.tx
    if event == "begin" and tx is not None:
        if tx.origin == "runner":
            yield ctx.hit("BEGIN inside the transaction the migration runner already opened "
                          "(assume_in_transaction): the COMMIT that follows ends the runner's transaction")
        else:
            yield ctx.hit(f"BEGIN inside the transaction already opened on line {tx.begin.line}: "
                          f"it is ignored, and the next COMMIT ends the outer transaction")
    elif event in ("commit", "rollback"):
        verb = event.upper()
        if tx is None:
            yield ctx.hit(f"{verb} without an open transaction block")
        elif tx.origin == "runner":
            yield ctx.hit(f"{verb} ends the transaction the migration runner opened around this file; "
                          f"the statements after it run outside any transaction")
    elif event in ("savepoint", "release", "rollback_to") and tx is None:
        yield ctx.hit("savepoints only exist inside a transaction block")
