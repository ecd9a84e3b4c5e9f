"""What an operation does to a live MySQL/MariaDB server, the notes a plan carries, the
gh-ost / pt-online-schema-change commands for table copies, and monitoring queries.
"""

from __future__ import annotations

from migsmith.tools.dialects.base import PlanContext
from migsmith.tools.dialects.mysql.online import (
    COPY,
    INPLACE,
    INSTANT,
    MDL_EXCLUSIVE,
    MDL_SHARED_WRITE,
)
from migsmith.tools.planning import actions as A
from migsmith.tools.planning.plan import MonitoringQuery, OperationImpact

# A rebuild that takes longer than this gets the gh-ost / pt-osc command lines in the notes.
OSC_THRESHOLD_SECONDS = 10.0

class MySQLImpact:
    """Impact, notes, online-schema-change commands and monitoring."""

    def impact(self, op, ctx: PlanContext) -> OperationImpact:
        imp = super().impact(op, ctx)
        self._remember(ctx)
        actions = [a for a in self.simple_actions(op, ctx) if not isinstance(a, A.RawComment)]
        rules = [(a, *self.online_rule(a)) for a in actions]
        rules = [r for r in rules if r[1]]
        imp.breaks = [b for b in imp.breaks if "cached plan" not in b]
        if op.op == "alter_column_type":
            imp.breaks.append("code and ORMs that map the column to the old type may misread "
                              "or reject values of the new one")
        notes = [n for n in imp.notes if "ACCESS EXCLUSIVE" not in n and "rewrite" not in n
                 and "CREATE INDEX blocks" not in n and "binary-compatible" not in n]
        if rules:
            # The slowest clause decides: COPY over INPLACE over INSTANT.
            order = {COPY: 0, INPLACE: 1, INSTANT: 2}
            action, clause, why = min(rules, key=lambda r: order.get(r[1], 3))
            imp.algorithm = clause
            locks = self.expected_locks(action)
            mode = locks[0].mode if locks else MDL_EXCLUSIVE
            imp.lock = self.lock_info(mode)
            notes.insert(0, why)
            if clause == COPY:
                imp.effect = "rewrite"
                imp.est_seconds = round(self.seconds("rewrite", imp.rows), 3)
            elif clause == INSTANT:
                imp.effect = "metadata" if imp.effect not in ("destroy", "create") else imp.effect
                imp.est_seconds = round(self.seconds("ddl", None), 3)
            elif isinstance(action, (A.SetNotNull, A.DropNotNull, A.DropColumn)):
                imp.effect = "rewrite"
                imp.est_seconds = round(self.seconds("rewrite", imp.rows), 3)
        elif op.op == "backfill":
            imp.lock = self.lock_info(MDL_SHARED_WRITE)
            notes = ["one UPDATE holds a row lock on every row it touches until it commits: "
                     "writers to those rows wait, and replicas lag by the whole statement"]
        else:
            imp.lock = self.lock_info(MDL_EXCLUSIVE)
        notes.append("MySQL DDL commits on its own: a failed statement does not roll back "
                     "the ones before it")
        imp.notes = notes
        imp.statement = self.plain_statement(actions) or imp.statement
        return imp

    def plain_statement(self, actions: list[A.Action]) -> str:
        """The statements of ``actions`` as this server runs them (unwrapped from guards)."""
        out = []
        for action in actions:
            if isinstance(action, A.Backfill):
                continue
            for line in self.render_action(action).splitlines():
                text = line.strip()
                if text.startswith("'") and text.endswith("', 'DO 0');"):
                    text = text[1:-len("', 'DO 0');")].replace("''", "'") + ";"
                if text.startswith(self._VERBS) and not text.startswith("SET SESSION"):
                    out.append(text)
        return " ".join(out)

    def plan_notes(self, plan, schema) -> list[str]:
        notes = ["MySQL/MariaDB DDL is not transactional: every ALTER commits on its own. "
                 "Steps run outside a transaction; each down undoes whatever part of its up "
                 "ran" + (" (IF EXISTS / IF NOT EXISTS)." if self.if_exists_ddl else
                          " (on MySQL, skip down statements whose objects do not exist)."),
                 "Every ALTER names ALGORITHM and LOCK, so the server refuses it rather than "
                 "silently copying the table with writes blocked.",
                 "Even an INSTANT or LOCK=NONE ALTER takes an exclusive metadata lock for a "
                 "moment; it waits for open transactions on the table and every query queues "
                 "behind it meanwhile. SET SESSION lock_wait_timeout bounds that wait: on a "
                 "timeout, find the long transaction (Monitoring) and re-run the step."]
        if any("migsmith_backfill" in s.up_sql for s in plan.steps):
            notes.append("Backfills run as a stored procedure that commits after every batch "
                         "and is dropped at the end; creating it needs CREATE ROUTINE (and, "
                         "with binary logging on MySQL, log_bin_trust_function_creators or "
                         "SUPER).")
        if any("CREATE TRIGGER" in s.up_sql for s in plan.steps):
            notes.append("The dual-write triggers need the TRIGGER privilege. gh-ost cannot run "
                         "on a table that has triggers: finish or roll back this plan before "
                         "using it on the same table.")
        for imp in plan.impacts:
            if imp.op in ("alter_column_type", "add_check_constraint") or (
                    imp.algorithm == COPY or (imp.est_seconds or 0) > OSC_THRESHOLD_SECONDS
                    and imp.effect == "rewrite"):
                notes.extend(self.osc_commands(plan, schema, imp))
        return notes

    def osc_commands(self, plan, schema, imp) -> list[str]:
        """gh-ost and pt-online-schema-change lines that make the same change without a
        write block (they copy into a shadow table and swap it in)."""
        op = plan.spec.operations[[i.operation for i in plan.impacts].index(imp.operation)]
        alter = self.osc_alter(op, schema)
        if not alter or not imp.table:
            return []
        chunk = max(100, min(plan.spec.options.batch_size, 10_000))
        alter_sql = alter.replace('"', '\\"')
        return [
            f"gh-ost alternative for '{imp.operation}': gh-ost --host=<primary> "
            f"--database=<db> --table={imp.table} --alter=\"{alter_sql}\" "
            f"--chunk-size={chunk} --max-load=Threads_running=25 "
            "--critical-load=Threads_running=100 --max-lag-millis=1500 "
            "--cut-over=default --postpone-cut-over-flag-file=/tmp/ghost.postpone "
            "--initially-drop-ghost-table --assume-rbr --execute "
            "(needs binlog_format=ROW; remove the postpone file to cut over)",
            f"pt-online-schema-change alternative: pt-online-schema-change "
            f"--alter \"{alter_sql}\" D=<db>,t={imp.table} --chunk-size={chunk} "
            "--max-load Threads_running=25 --critical-load Threads_running=100 "
            "--set-vars lock_wait_timeout=5 --no-drop-old-table --execute "
            "(trigger based: the table must not have triggers of its own)",
        ]

    def osc_alter(self, op, schema) -> str | None:
        q = self.quote
        col = None
        if getattr(op, "column", None) and isinstance(op.column, str) and schema.has_table(op.table):
            table = schema.table(op.table)
            col = table.column(op.column) if table.has_column(op.column) else None
        match op.op:
            case "alter_column_type":
                if col is None:
                    return None
                null = "" if col.nullable else " NOT NULL"
                dflt = f" DEFAULT {self.default_sql(col.default)}" if col.default else ""
                return f"MODIFY {q(op.column)} {op.new_type}{dflt}{null}"
            case "add_check_constraint":
                return f"ADD CONSTRAINT {q(op.name)} CHECK ({op.expression})"
            case "set_not_null":
                return f"MODIFY {q(op.column)} {col.type} NOT NULL" if col else None
            case "drop_column":
                return f"DROP COLUMN {q(op.column)}"
        return None

    def monitoring(self, plan) -> list[MonitoringQuery]:
        tables = sorted({lk.table for s in plan.steps for lk in s.expected_locks})
        names = ", ".join(f"'{t}'" for t in tables) or "''"
        out = [
            MonitoringQuery(purpose="sessions waiting for a metadata lock, and what they run", sql=(
                "SELECT ID, TIME, STATE, LEFT(INFO, 80) AS query\n"
                "FROM information_schema.PROCESSLIST\n"
                "WHERE STATE LIKE 'Waiting for%lock%' ORDER BY TIME DESC;")),
            MonitoringQuery(purpose="long transactions that make DDL wait (and everyone behind it)",
                            sql=("SELECT trx_mysql_thread_id, trx_started, trx_state,\n"
                                 "       LEFT(trx_query, 80) AS query\n"
                                 "FROM information_schema.INNODB_TRX\n"
                                 "WHERE trx_started < NOW() - INTERVAL 1 MINUTE "
                                 "ORDER BY trx_started;")),
            MonitoringQuery(purpose="metadata locks on the tables this plan touches "
                                    "(needs performance_schema)", sql=(
                "SELECT OBJECT_NAME, LOCK_TYPE, LOCK_STATUS, OWNER_THREAD_ID\n"
                "FROM performance_schema.metadata_locks\n"
                f"WHERE OBJECT_SCHEMA = DATABASE() AND OBJECT_NAME IN ({names});")),
        ]
        if any("ALGORITHM=INPLACE" in s.up_sql for s in plan.steps):
            out.insert(0, MonitoringQuery(
                purpose="progress of online ALTERs (MySQL: performance_schema stages; MariaDB: "
                        "PROCESSLIST.PROGRESS)",
                sql=("SELECT ID, STAGE, MAX_STAGE, PROGRESS, LEFT(INFO, 60) AS query\n"
                     "FROM information_schema.PROCESSLIST WHERE COMMAND = 'Query' AND INFO LIKE "
                     "'ALTER%';" if self.is_mariadb else
                     "SELECT EVENT_NAME, WORK_COMPLETED, WORK_ESTIMATED\n"
                     "FROM performance_schema.events_stages_current\n"
                     "WHERE EVENT_NAME LIKE 'stage/innodb/alter%';")))
        for step in plan.steps:
            if step.backfill:
                bf = step.backfill
                cond = f" AND ({bf.where})" if bf.where else ""
                out.append(MonitoringQuery(
                    purpose=f"backfill progress of {bf.table}.{bf.column} (rows still to do)",
                    sql=(f"SELECT COUNT(*) AS rows_left FROM {self.quote(bf.table)}\n"
                         f"WHERE NOT ({self.quote(bf.column)} <=> ({bf.expression})){cond};")))
        return out
