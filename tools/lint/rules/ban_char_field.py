"""char(n) / character(n) columns."""

from migsmith.tools.lint import pg
from migsmith.tools.lint.rules import _pg

id = "ban-char-field"
severity = "warning"
category = "taste"
message = "char(n) pads values with spaces: prefer text"
why = """
char(n) pads every value with spaces to n characters and ignores trailing spaces in some
comparisons but not others (LIKE, regular expressions, concatenation), which produces subtle
bugs. It is not faster than text, and a bare char means char(1).
"""
safe_rewrite = """
code text CHECK (length(code) = 3)
"""
statements = {"AlterTableStmt", "CreateStmt"}


def check(ctx):
    for col in _pg.typed_columns(ctx.node):
        if col.type.name in pg.CHAR_TYPES:
            yield ctx.hit(f"{col.table}.{col.column} is {col.type}: prefer text")
