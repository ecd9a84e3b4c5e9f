"""ADD COLUMN with a default that forces a table rewrite."""

from pglast.enums import ConstrType

from migsmith.tools.lint import pg
from migsmith.tools.lint.rules import _pg

id = "adding-volatile-default"
severity = "error"
category = "rewrite"
message = "ADD COLUMN with this default rewrites the whole table under an ACCESS EXCLUSIVE lock"
why = """
Since PostgreSQL 11 a new column's default is evaluated once and stored in the catalog, so the
ALTER is instant, but only if the default is not volatile. A volatile default (random(),
gen_random_uuid(), clock_timestamp(), nextval(), or any function we cannot prove is stable) must
be computed per row, so PostgreSQL rewrites every row while holding ACCESS EXCLUSIVE. Before
PostgreSQL 11 any non-null default rewrites the table. now() and CURRENT_TIMESTAMP are stable
and fine.
"""
safe_rewrite = """
ALTER TABLE tbl ADD COLUMN col uuid;                        -- no default: instant
ALTER TABLE tbl ALTER COLUMN col SET DEFAULT gen_random_uuid();  -- applies to new rows only
-- backfill existing rows in batches (UPDATE ... WHERE id BETWEEN x AND y), then add NOT NULL
-- through a validated CHECK if needed
"""
statements = {"AlterTableStmt"}


def check(ctx):
    for table, coldef in _pg.added_columns(ctx.node):
        if ctx.is_new(table):
            continue
        for default in _pg.constraints_of(coldef, ConstrType.CONSTR_DEFAULT):
            expr = default.raw_expr
            if ctx.pg_version < 11:
                if pg.const(expr) is not None:  # DEFAULT NULL never rewrites
                    yield ctx.hit(f"before PostgreSQL 11, ADD COLUMN {coldef.colname} with a DEFAULT "
                                  f"rewrites every row of {table} under ACCESS EXCLUSIVE")
                continue
            calls = pg.volatile_calls(expr)
            if calls:
                names = ", ".join(f"{c}()" for c in dict.fromkeys(calls))
                yield ctx.hit(f"default of new column {table}.{coldef.colname} calls {names}, which is "
                              f"volatile (or not known to be stable), so every row is rewritten "
                              f"under ACCESS EXCLUSIVE")
