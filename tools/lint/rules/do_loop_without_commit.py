"""A DO block that changes rows in a loop but never commits: one long transaction in disguise."""

from pglast import ast

id = "do-loop-without-commit"
severity = "error"
category = "data"
message = "a DO block changes rows in a loop without COMMIT: every batch's locks are held to the end"
why = """
A DO block is a single statement, and without COMMIT a single transaction: however small the
batches inside its loop, the row locks of every batch stay held until the whole block finishes,
the dead tuples cannot be vacuumed meanwhile, and an error in the last batch rolls back all of
them. Writers to those rows queue exactly as behind one big UPDATE. PostgreSQL 11+ allows COMMIT
inside a DO block run outside a transaction block; commit after each batch (and drive the loop
by a key range, not a repeated `WHERE col IS NULL LIMIT n` scan, which re-reads the finished
part of the table every time and makes the job quadratic).
"""
safe_rewrite = """
DO $$
DECLARE last_id bigint := 0; max_id bigint;
BEGIN
  SELECT max(id) INTO max_id FROM tbl;
  WHILE last_id < max_id LOOP
    UPDATE tbl SET col = ... WHERE id > last_id AND id <= last_id + 1000;
    last_id := last_id + 1000;
    COMMIT;                       -- each batch releases its locks
    PERFORM pg_sleep(0.1);
  END LOOP;
END $$;
"""
statements = {"DoStmt"}

_LOOPS = {"PLpgSQL_stmt_loop", "PLpgSQL_stmt_while", "PLpgSQL_stmt_fori", "PLpgSQL_stmt_fors",
          "PLpgSQL_stmt_forc", "PLpgSQL_stmt_foreach_a", "PLpgSQL_stmt_dynfors"}
_CHANGES = ("update ", "delete ", "insert ", "merge ")


def _walk(node):
    """Yield (kind, body) for every PL/pgSQL statement object in the parse tree."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key.startswith("PLpgSQL_stmt_"):
                yield key, value
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def _changes_rows(loop_body) -> bool:
    for kind, stmt in _walk(loop_body):
        if kind == "PLpgSQL_stmt_execsql":
            query = stmt.get("sqlstmt", {}).get("PLpgSQL_expr", {}).get("query", "")
            lowered = " ".join(query.lower().split())
            if any(lowered.startswith(v) or f") {v}" in lowered for v in _CHANGES):
                return True
        if kind == "PLpgSQL_stmt_dynexecute":
            return True  # EXECUTE format('UPDATE ...'): assume it writes
    return False


def _commits(loop_body) -> bool:
    return any(kind == "PLpgSQL_stmt_commit" for kind, _ in _walk(loop_body))


def check(ctx):
    if not isinstance(ctx.node, ast.DoStmt):
        return
    language = next((a.arg.sval for a in ctx.node.args or () if a.defname == "language"), "plpgsql")
    if language.lower() != "plpgsql":
        return
    from pglast import parse_plpgsql
    from pglast.parser import ParseError

    try:
        tree = parse_plpgsql(ctx.stmt.text)
    except ParseError:
        return  # a body that does not parse is PostgreSQL's error to report at run time
    for kind, loop in _walk(tree):
        if kind in _LOOPS and _changes_rows(loop) and not _commits(loop):
            yield ctx.hit("this DO block changes rows in a loop without COMMIT, so it is one "
                          "transaction: every batch keeps its row locks until the block ends")
            return
