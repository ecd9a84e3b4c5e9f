"""Helpers of the backfill tests: a 20k-row table, its backfill plan, running a step."""

from __future__ import annotations

import psycopg
import pglast
from migsmith.tools.planning.planner import build_plan
from migsmith.tools.schema import load_ddl
from migsmith.tools.spec.changespec import parse_spec
from migsmith.tools.planning.writer import write_plan

ROWS = 20_000

DDL = f"""-- migsmith: rows={ROWS}
CREATE TABLE items (id bigint PRIMARY KEY, a int NOT NULL, label text);
-- migsmith: rows=3000
CREATE TABLE tags (code text PRIMARY KEY, n int NOT NULL, label text);
-- migsmith: rows=100
CREATE TABLE loose (a int, label text);
"""


def backfill_plan(table="items", expression="'v' || a", batch_size=1000, pause_ms=0,
                  batch_ms=0, **extra):
    """The plan of one backfill of ``table``.label; fixed batches of ``batch_size`` unless
    ``batch_ms`` asks for adaptive ones."""
    spec = parse_spec({"operations": [{"op": "backfill", "table": table, "column": "label",
                                       "expression": expression, **extra}],
                       # the backfills overwrite label's values: consented to, as a user must
                       "options": {"batch_size": batch_size, "batch_pause_ms": pause_ms,
                                   "batch_ms": batch_ms, "allow_data_loss": True}})
    return build_plan(spec, load_ddl(DDL, "postgres"), created="2026-01-01")


def run_sql(url: str, sql: str, notices: list | None = None) -> None:
    """Send a step's statements one at a time, as psql -f does."""
    with psycopg.connect(url, autocommit=True) as conn:
        if notices is not None:
            conn.add_notice_handler(lambda d: notices.append(d.message_primary))
        for stmt in pglast.split(sql):
            conn.execute(stmt)


def labels(url: str, table: str = "items") -> tuple[int, int]:
    """(rows holding the expected value, rows total)."""
    expected = "'v' || a" if table == "items" else "upper(code)"
    with psycopg.connect(url) as conn:
        return conn.execute(f"SELECT count(*) FILTER (WHERE label = {expected}), count(*) "
                            f"FROM {table}").fetchone()
