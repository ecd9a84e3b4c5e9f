"""Queries to watch a PostgreSQL plan while it runs."""

from __future__ import annotations

from migsmith.tools.planning import batches as backfill_sql
from migsmith.tools.planning.plan import MonitoringQuery


class PostgresMonitoring:
    """Monitoring queries for a plan's steps."""

    def monitoring(self, plan) -> list[MonitoringQuery]:
        out = [
            MonitoringQuery(purpose="sessions waiting on a lock, and who blocks them", sql=(
                "SELECT pid, wait_event_type, wait_event, pg_blocking_pids(pid) AS blocked_by,\n"
                "       now() - query_start AS waiting_for, left(query, 80) AS query\n"
                "FROM pg_stat_activity WHERE wait_event_type = 'Lock';")),
            MonitoringQuery(purpose="locks held or requested on the tables this plan touches", sql=(
                "SELECT l.relation::regclass, l.mode, l.granted, a.pid, left(a.query, 60)\n"
                "FROM pg_locks l JOIN pg_stat_activity a USING (pid)\n"
                "WHERE l.relation::regclass::text IN (" + ", ".join(
                    sorted({f"'{t}'" for s in plan.steps for t in (lk.table for lk in s.expected_locks)})
                    or ["''"]) + ");")),
            MonitoringQuery(purpose="long transactions that would make DDL wait (and everyone behind it)", sql=(
                "SELECT pid, now() - xact_start AS xact_age, state, left(query, 80)\n"
                "FROM pg_stat_activity WHERE xact_start < now() - interval '1 minute'\n"
                "ORDER BY xact_start;")),
        ]
        if any(isinstance_action(s, "CREATE INDEX CONCURRENTLY") for s in plan.steps):
            out.insert(0, MonitoringQuery(purpose="progress of concurrent index builds", sql=(
                "SELECT pid, relid::regclass, index_relid::regclass, phase,\n"
                "       blocks_done, blocks_total, tuples_done, tuples_total\n"
                "FROM pg_stat_progress_create_index;")))
        for step in plan.steps:
            if step.backfill:
                bf = step.backfill
                out.append(MonitoringQuery(
                    purpose=f"backfill progress of {bf.table}.{bf.column}: rows done / rows "
                            "total (one full scan: run it now and then)",
                    sql=backfill_sql.progress_sql(bf, self.name) + ";"))
                out.append(MonitoringQuery(
                    purpose=f"backfill of {bf.table}.{bf.column}: last committed key (resume point)",
                    sql=("SELECT pid, application_name, now() - xact_start AS batch_age\n"
                         "FROM pg_stat_activity WHERE application_name LIKE 'migsmith backfill%';")))
        return out

def isinstance_action(step, needle: str) -> bool:
    return needle in step.up_sql
