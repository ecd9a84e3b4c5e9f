"""json columns."""

from migsmith.tools.lint.rules import _pg

id = "prefer-jsonb"
severity = "warning"
category = "taste"
message = "json column: prefer jsonb"
why = """
json keeps the raw text and has no equality operator, so SELECT DISTINCT, GROUP BY, UNION and
unique indexes on the column fail, and every access re-parses the text. jsonb is parsed once,
supports equality and GIN indexes, and is what the JSON operators are optimised for. json is only
needed to preserve key order, duplicate keys or whitespace exactly.
"""
safe_rewrite = """
meta jsonb
"""
statements = {"AlterTableStmt", "CreateStmt"}


def check(ctx):
    for col in _pg.typed_columns(ctx.node):
        if col.type.name == "json":
            yield ctx.hit(f"{col.table}.{col.column} is json: prefer jsonb")
