"""ADD COLUMN of a serial, identity or stored generated column to an existing table."""

from pglast.enums import ConstrType

from migsmith.tools.lint import pg
from migsmith.tools.lint.rules import _pg

id = "adding-rewriting-column"
severity = "error"
category = "rewrite"
message = "adding a serial, identity or stored generated column rewrites the whole table"
why = """
serial, GENERATED ... AS IDENTITY and GENERATED ALWAYS AS (...) STORED columns need a value
computed for every existing row (the next sequence value, or the expression), so PostgreSQL
rewrites the table and its indexes while holding ACCESS EXCLUSIVE: no reads or writes until the
rewrite finishes.
"""
safe_rewrite = """
-- add a plain nullable column, fill it in batches, then attach the sequence/default:
CREATE SEQUENCE tbl_col_seq;
ALTER TABLE tbl ADD COLUMN col bigint;
ALTER TABLE tbl ALTER COLUMN col SET DEFAULT nextval('tbl_col_seq');
-- backfill: UPDATE tbl SET col = nextval('tbl_col_seq') WHERE id BETWEEN x AND y; ...
-- for a derived value, maintain it with a trigger or compute it in a view instead
"""
statements = {"AlterTableStmt"}


def check(ctx):
    for table, coldef in _pg.added_columns(ctx.node):
        if ctx.is_new(table):
            continue
        type_name = pg.type_info(coldef.typeName).name
        if type_name in pg.SERIAL_TYPES:
            kind = f"a {type_name} column"
        elif _pg.constraints_of(coldef, ConstrType.CONSTR_IDENTITY):
            kind = "an identity column"
        elif any(c.generated_kind != "v" for c in _pg.constraints_of(coldef, ConstrType.CONSTR_GENERATED)):
            kind = "a stored generated column"  # PostgreSQL 18 VIRTUAL columns are computed on read
        else:
            continue
        yield ctx.hit(f"adding {kind} ({coldef.colname}) to existing table {table} rewrites every "
                      f"row under an ACCESS EXCLUSIVE lock")
