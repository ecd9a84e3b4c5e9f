"""What one operation does to a live PostgreSQL database: lock, effect, rows, duration,
what breaks, and whether it is additive, breaking or destructive.
"""

from __future__ import annotations

from migsmith.tools.dialects.base import PlanContext
from migsmith.tools.dialects.postgres.locks import (
    ACCESS_EXCLUSIVE,
    ROW_EXCLUSIVE,
    SHARE,
    SHARE_ROW_EXCLUSIVE,
)
from migsmith.tools.dialects.postgres.types import type_change_rewrites
from migsmith.tools.schema.evolve import backfill_overwrites
from migsmith.tools.planning.plan import OperationImpact
from migsmith.tools.spec.expressions import is_volatile


class PostgresImpact:
    """The impact of one operation, before any recipe is chosen."""

    def impact(self, op, ctx: PlanContext) -> OperationImpact:
        rows = ctx.rows(op.table) if getattr(op, "table", None) else None
        if op.op == "drop_index":
            found = ctx.schema.find_index(op.name)
            rows = found[0].row_estimate if found else None
        mode, effect, cls, breaks, notes = ACCESS_EXCLUSIVE, "metadata", "additive", [], []
        kind = "ddl"
        stmt = ""
        t = getattr(op, "table", "")
        match op.op:
            case "create_table":
                effect, stmt = "create", f"CREATE TABLE {t} (...)"
            case "drop_table":
                effect, cls, stmt = "destroy", "destructive", f"DROP TABLE {t}"
                breaks.append(f"every query that reads or writes {t} fails")
            case "rename_table":
                cls, stmt = "breaking", f"ALTER TABLE {t} RENAME TO {op.new_name}"
                breaks.append(f"queries naming {t} fail with 'relation does not exist'")
            case "add_column":
                col = op.column
                stmt = f"ALTER TABLE {t} ADD COLUMN {col.name} {col.type}"
                if col.default is not None:
                    stmt += f" DEFAULT {col.default}"
                if not col.nullable:
                    stmt += " NOT NULL"
                volatile = is_volatile(col.default, self.name)
                if col.default is not None and (volatile or not self.fast_default):
                    effect, kind = "rewrite", "rewrite"
                    why = "volatile default" if volatile else "default before PostgreSQL 11"
                    notes.append(f"a {why} makes PostgreSQL rewrite every row under an "
                                 "ACCESS EXCLUSIVE lock")
                if not col.nullable and col.default is None:
                    cls = "breaking"
                    breaks.append(f"inserts that do not set {col.name} fail")
            case "drop_column":
                effect, cls, stmt = "destroy", "destructive", f"ALTER TABLE {t} DROP COLUMN {op.column}"
                breaks.append(f"code that selects or writes {t}.{op.column} fails; ORMs that "
                              "cache the column list fail until restarted")
            case "rename_column":
                cls, stmt = "breaking", f"ALTER TABLE {t} RENAME COLUMN {op.column} TO {op.new_name}"
                breaks.append(f"queries naming {t}.{op.column} fail with 'column does not exist'")
            case "alter_column_type":
                old = ctx.schema.table(t).column(op.column).type
                stmt = f"ALTER TABLE {t} ALTER COLUMN {op.column} TYPE {op.new_type}"
                loss = self.type_change_loss(old, op.new_type)
                cls = "destructive" if loss else "breaking"
                if type_change_rewrites(old, op.new_type):
                    effect, kind = "rewrite", "rewrite"
                    notes.append(f"{old} -> {op.new_type} is not binary-compatible: the table "
                                 "and all its indexes are rewritten under ACCESS EXCLUSIVE")
                    breaks.append("prepared statements and code that depend on the old type "
                                  "may fail ('cached plan must not change result type')")
                else:
                    notes.append(f"{old} -> {op.new_type} is binary-compatible: no rewrite")
                    cls = "destructive" if cls == "destructive" else "additive"
                if cls == "destructive":
                    breaks.append(f"{old} -> {op.new_type} {loss}: values that do not fit "
                                  "are lost, or make the change fail")
            case "set_not_null":
                stmt = f"ALTER TABLE {t} ALTER COLUMN {op.column} SET NOT NULL"
                effect, kind, cls = "scan", "scan", "breaking"
                notes.append("SET NOT NULL checks every row while holding ACCESS EXCLUSIVE")
                breaks.append(f"code that writes NULL into {op.column} starts failing")
            case "drop_not_null":
                stmt = f"ALTER TABLE {t} ALTER COLUMN {op.column} DROP NOT NULL"
                notes.append(f"readers that assume {op.column} is never NULL must cope with NULL")
            case "set_default":
                stmt = f"ALTER TABLE {t} ALTER COLUMN {op.column} SET DEFAULT {op.default}"
            case "drop_default":
                stmt = f"ALTER TABLE {t} ALTER COLUMN {op.column} DROP DEFAULT"
                col = ctx.schema.table(t).column(op.column)
                if not col.nullable:
                    cls = "breaking"
                    breaks.append(f"inserts that relied on the default for {op.column} fail")
            case "add_index":
                mode, effect, kind = SHARE, "index_build", "index"
                stmt = f"CREATE {'UNIQUE ' if op.unique else ''}INDEX {op.name} ON {t} ({', '.join(op.columns)})"
                notes.append("a plain CREATE INDEX blocks all writes until the build ends")
                if op.unique:
                    cls = "breaking"
                    breaks.append("inserts of duplicate values start failing")
            case "drop_index":
                found = ctx.schema.find_index(op.name)
                t = found[0].name if found else (op.table or "")
                stmt = f"DROP INDEX {op.name}"
                notes.append("queries that used this index get slower")
            case "add_foreign_key":
                mode, effect, kind, cls = SHARE_ROW_EXCLUSIVE, "scan", "scan", "breaking"
                stmt = (f"ALTER TABLE {t} ADD CONSTRAINT {op.name} FOREIGN KEY "
                        f"({', '.join(op.columns)}) REFERENCES {op.ref_table}")
                notes.append(f"validating scans {t} while writes to {t} and {op.ref_table} wait")
                breaks.append("writes of rows without a matching parent start failing")
            case "add_check_constraint":
                effect, kind, cls = "scan", "scan", "breaking"
                stmt = f"ALTER TABLE {t} ADD CONSTRAINT {op.name} CHECK ({op.expression})"
                notes.append("validating scans every row under ACCESS EXCLUSIVE")
                breaks.append("writes that violate the check start failing")
            case "add_unique_constraint":
                effect, kind, cls = "index_build", "index", "breaking"
                stmt = f"ALTER TABLE {t} ADD CONSTRAINT {op.name} UNIQUE ({', '.join(op.columns)})"
                notes.append("the unique index is built under ACCESS EXCLUSIVE: reads and "
                             "writes wait for the whole build")
                breaks.append("inserts of duplicate values start failing")
            case "drop_constraint":
                stmt = f"ALTER TABLE {t} DROP CONSTRAINT {op.name}"
                notes.append("the database stops enforcing this rule")
            case "backfill":
                mode, effect, kind = ROW_EXCLUSIVE, "data_update", "backfill"
                if backfill_overwrites(op, ctx.schema, self.name):
                    cls = "destructive"
                    breaks.append(f"the values {t}.{op.column} holds now are replaced")
                stmt = f"UPDATE {t} SET {op.column} = {op.expression}"
                if op.where:
                    stmt += f" WHERE {op.where}"
                notes.append("one UPDATE holds a row lock on every row it touches until it "
                             "commits: writers to those rows wait, and the table bloats")
        if t and t in ctx.new_tables and op.op != "create_table":
            cls, breaks = "additive", []  # nothing runs against a table this plan creates
            notes.append(f"{t} is created by this plan: no rows and no readers yet")
        est = self.seconds("index" if kind == "index" else kind, rows)
        if kind == "backfill":
            # the plain single UPDATE runs at rewrite speed; the batched plan at backfill speed
            est = self.seconds("rewrite", rows)
        return OperationImpact(
            operation=self.describe(op), op=op.op, table=t or None, statement=stmt,
            lock=self.lock_info(mode), effect=effect, rows=rows, est_seconds=round(est, 3),
            classification=cls, breaks=breaks, notes=notes)
