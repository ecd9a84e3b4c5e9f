"""varchar(n) columns."""

from migsmith.tools.lint import pg
from migsmith.tools.lint.rules import _pg

id = "prefer-text"
severity = "warning"
category = "taste"
message = "varchar(n): prefer text (with a CHECK constraint if the length really matters)"
why = """
In PostgreSQL varchar(n) is stored exactly like text; the only difference is the length check,
and changing n later is an ALTER COLUMN TYPE that takes ACCESS EXCLUSIVE (and rewrites when
shrinking). A CHECK (length(col) <= n) constraint expresses the same rule and can be replaced with
NOT VALID + VALIDATE without blocking anyone.
"""
safe_rewrite = """
col text CHECK (length(col) <= 255)
"""
statements = {"AlterTableStmt", "CreateStmt"}


def check(ctx):
    for col in _pg.typed_columns(ctx.node):
        if col.type.name in pg.VARCHAR_TYPES and col.type.mods:
            yield ctx.hit(f"{col.table}.{col.column} is {col.type}: prefer text "
                          f"(plus CHECK (length({col.column}) <= {col.type.mods[0]}) if needed)")
