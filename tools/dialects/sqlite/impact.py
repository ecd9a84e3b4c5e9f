"""What an operation does to a live SQLite database: one writer at a time, and how long."""

from __future__ import annotations

from migsmith.tools.dialects.base import PlanContext
from migsmith.tools.dialects.sqlite.constants import RESERVED
from migsmith.tools.planning import actions as A
from migsmith.tools.planning.plan import MonitoringQuery, OperationImpact
from migsmith.tools.schema.evolve import backfill_overwrites


class SQLiteImpact:
    """Impact, monitoring and notes."""

    def impact(self, op, ctx: PlanContext) -> OperationImpact:
        actions = self.simple_actions(op, ctx)
        rebuild = any(isinstance(a, A.RebuildTable) for a in actions)
        t = getattr(op, "table", None)
        if op.op == "drop_index":
            found = ctx.schema.find_index(op.name)
            t = found[0].name if found else t
        rows = ctx.rows(t) if t else None
        effect, cls, breaks = "metadata", "additive", []
        notes = ["SQLite takes one write lock for the whole database: every other writer "
                 "waits until the step commits (readers continue in WAL mode)"]
        kind = "ddl"
        if rebuild:
            effect, kind = "rewrite", "rewrite"
            notes.append("ALTER TABLE cannot do this in place: the table is rebuilt (new table, "
                         "copy, drop, rename, indexes recreated) in one transaction")
        match op.op:
            case "create_table":
                effect = "create"
            case "drop_table":
                effect, cls = "destroy", "destructive"
                breaks.append(f"every query that reads or writes {t} fails")
            case "drop_column":
                effect, cls, kind = "destroy", "destructive", "rewrite"
                breaks.append(f"code that selects or writes {t}.{op.column} fails")
                notes.append("DROP COLUMN rewrites the whole table")
            case "rename_column" | "rename_table":
                cls = "breaking"
                breaks.append("queries that use the old name fail")
            case "add_index" | "add_unique_constraint":
                effect, kind = "index_build", "index"
                notes.append("SQLite has no concurrent index build: writers wait for the whole "
                             "build")
                if op.op == "add_unique_constraint" or op.unique:
                    cls = "breaking"
                    breaks.append("inserts of duplicate values start failing")
            case "backfill":
                effect, kind = "data_update", "backfill"
                if backfill_overwrites(op, ctx.schema, self.name):
                    cls = "destructive"
                    breaks.append(f"the values {t}.{op.column} holds now are replaced")
            case "set_not_null" | "add_foreign_key" | "add_check_constraint":
                cls = "breaking"
                breaks.append("writes that break the new rule start failing")
            case "alter_column_type":
                cls = "breaking"
                notes.append("SQLite stores values by type affinity: existing values are "
                             "converted only where the new affinity can represent them")
            case "add_column":
                if not op.column.nullable and op.column.default is None:
                    cls = "breaking"
        statement = "; ".join(self.render_action(a).splitlines()[-1] for a in actions
                              if not isinstance(a, A.RebuildTable))
        return OperationImpact(
            operation=self.describe(op), op=op.op, table=t, statement=statement or
            f"12-step rebuild of {t}", lock=self.lock_info(RESERVED), effect=effect, rows=rows,
            est_seconds=round(self.seconds(kind, rows), 3), classification=cls, breaks=breaks,
            notes=notes, algorithm="table rebuild" if rebuild else None)

    def monitoring(self, plan) -> list[MonitoringQuery]:
        return [
            MonitoringQuery(purpose="journal mode (WAL lets readers continue during a step)",
                            sql="PRAGMA journal_mode;"),
            MonitoringQuery(purpose="foreign key violations after the plan (should be none)",
                            sql="PRAGMA foreign_key_check;"),
            MonitoringQuery(purpose="database integrity after a rebuild",
                            sql="PRAGMA integrity_check;"),
        ]

    def plan_notes(self, plan, schema) -> list[str]:
        notes = ["SQLite has one writer for the whole database: each step holds the write lock "
                 "from BEGIN IMMEDIATE to COMMIT; set busy_timeout in the application so its "
                 "writes wait instead of failing with SQLITE_BUSY."]
        if any("migsmith_new_" in s.up_sql for s in plan.steps):
            notes.append("Table rebuilds follow SQLite's 12-step procedure "
                         "(https://www.sqlite.org/lang_altertable.html#otheralter): "
                         "PRAGMA foreign_keys=OFF outside the transaction, "
                         "legacy_alter_table=ON so the final rename neither rewrites nor "
                         "re-checks views and triggers that name the table, and "
                         "PRAGMA foreign_key_check before COMMIT.")
        if any(s.backfill for s in plan.steps):
            notes.append("Backfills commit per batch (key ranges sized from the row estimate, "
                         "at most 100 batches, then one last transaction for whatever lies "
                         "beyond the estimate); SQLite has no sleep, so `migsmith backfill` "
                         "is the way to pause between batches.")
        return notes
