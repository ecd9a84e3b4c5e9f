"""DROP DATABASE in a migration."""

from pglast import ast

id = "ban-drop-database"
severity = "error"
category = "destructive"
message = "DROP DATABASE in a migration destroys every table in the database"
why = """
A migration runs against whatever database it is pointed at; a DROP DATABASE in one is one
misconfigured connection string away from deleting production.
"""
safe_rewrite = """
-- databases are created and dropped by provisioning tooling, not by schema migrations
"""
statements = {"DropdbStmt"}


def check(ctx):
    if isinstance(ctx.node, ast.DropdbStmt):
        yield ctx.hit(f"DROP DATABASE {ctx.node.dbname} destroys every table in it")
