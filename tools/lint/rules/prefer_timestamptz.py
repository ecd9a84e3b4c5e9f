"""timestamp without time zone."""

from migsmith.tools.lint.rules import _pg

id = "prefer-timestamptz"
severity = "warning"
category = "taste"
message = "timestamp without time zone: prefer timestamptz"
why = """
timestamp stores a wall-clock reading with no offset, so the same instant is stored differently
depending on the writer's time zone, and comparisons across servers, DST changes or regions are
silently wrong. timestamptz stores an absolute instant (in UTC) and converts on display, at the
same size.
"""
safe_rewrite = """
created_at timestamptz NOT NULL DEFAULT now()
"""
statements = {"AlterTableStmt", "CreateStmt"}


def check(ctx):
    for col in _pg.typed_columns(ctx.node):
        if col.type.name == "timestamp":
            yield ctx.hit(f"{col.table}.{col.column} is timestamp without time zone: prefer timestamptz")
