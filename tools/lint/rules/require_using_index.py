"""ADD PRIMARY KEY / UNIQUE that builds its index while the table is locked."""

from pglast.enums import ConstrType

from migsmith.tools.lint.rules import _pg

id = "require-using-index"
severity = "error"
category = "locking"
message = "ADD PRIMARY KEY/UNIQUE builds its index while holding ACCESS EXCLUSIVE; build it concurrently first"
why = """
Adding a PRIMARY KEY or UNIQUE constraint builds the backing index inside the ALTER TABLE,
under ACCESS EXCLUSIVE: the table can be neither read nor written for the whole build. The
index can instead be built beforehand with CREATE UNIQUE INDEX CONCURRENTLY and attached with
USING INDEX, which only holds the lock for a moment.
"""
safe_rewrite = """
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS tbl_col_key ON tbl (col);  -- outside a transaction
ALTER TABLE tbl ADD CONSTRAINT tbl_col_key UNIQUE USING INDEX tbl_col_key;
-- primary key: the columns must already be NOT NULL (see set-not-null-without-check), then
ALTER TABLE tbl ADD CONSTRAINT tbl_pkey PRIMARY KEY USING INDEX tbl_col_key;
"""
statements = {"AlterTableStmt"}

_KINDS = {
    ConstrType.CONSTR_PRIMARY: "PRIMARY KEY",
    ConstrType.CONSTR_UNIQUE: "UNIQUE",
}


def check(ctx):
    for table, con in _pg.added_constraints(ctx.node):
        kind = _KINDS.get(con.contype)
        if kind is None or con.indexname or ctx.is_new(table):
            continue
        yield ctx.hit(f"ADD {kind} on existing table {table} builds its index under ACCESS "
                      f"EXCLUSIVE; create the unique index CONCURRENTLY and add the constraint "
                      f"USING INDEX")
    for table, coldef in _pg.added_columns(ctx.node):
        for con in _pg.constraints_of(coldef, ConstrType.CONSTR_PRIMARY, ConstrType.CONSTR_UNIQUE):
            if not ctx.is_new(table):
                yield ctx.hit(f"ADD COLUMN {coldef.colname} ... {_KINDS[con.contype]} on existing table "
                              f"{table} builds a unique index under ACCESS EXCLUSIVE")
