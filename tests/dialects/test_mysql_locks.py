"""The algorithm clauses mean what the impacts say, on a real MariaDB: a write during an
``ALGORITHM=INPLACE, LOCK=NONE`` index build goes through at once; a write during an
``ALGORITHM=COPY, LOCK=SHARED`` type change waits for the whole copy."""

from __future__ import annotations

import threading
import time

import pytest

from migsmith.tools.planning.planner import build_plan
from migsmith.tools.schema import load_ddl
from migsmith.tools.schema.live_mysql import connect_mysql
from migsmith.tools.proving.shadow.mysql import run_script
from migsmith.tools.spec.changespec import parse_spec

pytestmark = [pytest.mark.mariadb, pytest.mark.slow]

DDL = "CREATE TABLE t (id bigint AUTO_INCREMENT PRIMARY KEY, a int NOT NULL, b varchar(40));"


def _write_during(url: str, statement_sql: str) -> tuple[float, float]:
    """Run the step in a thread; once the server shows it working, time one INSERT.
    Returns (when the INSERT finished, when the step finished)."""
    done: dict[str, float] = {}

    def ddl():
        conn = connect_mysql(url)
        run_script(conn, statement_sql)
        done["ddl"] = time.perf_counter()
        conn.close()

    thread = threading.Thread(target=ddl)
    watcher = connect_mysql(url)
    thread.start()
    deadline = time.perf_counter() + 10
    with watcher.cursor() as cur:
        while time.perf_counter() < deadline and "ddl" not in done:
            cur.execute("SELECT COUNT(*) FROM information_schema.PROCESSLIST "
                        "WHERE INFO LIKE 'ALTER TABLE%' AND DB = DATABASE()")
            if cur.fetchone()[0]:
                break
            time.sleep(0.01)
        time.sleep(0.05)
        cur.execute("INSERT INTO t (a, b) VALUES (1, 'written during the ALTER')")
        inserted = time.perf_counter()
    thread.join()
    watcher.close()
    return inserted, done["ddl"]


def test_lock_none_lets_writes_through_and_copy_blocks_them(mysql_conn, mysql_url):
    run_script(mysql_conn, DDL + "\nINSERT INTO t (a, b) SELECT seq % 1000, CONCAT('x', seq) "
                                 "FROM seq_1_to_200000;")
    schema = load_ddl(DDL, "mysql")
    schema.tables["t"].row_estimate = 200_000

    def step(op):
        spec = parse_spec({"operations": [op], "options": {"dialect": "mysql",
                                                           "target_version": "mariadb-10.11"}})
        plan = build_plan(spec, schema)
        return plan.steps[0], plan.impacts[0]

    index_step, index_impact = step({"op": "add_index", "table": "t", "columns": ["b"],
                                      "name": "t_b_idx"})
    assert not index_impact.lock.blocks_writes
    inserted, finished = _write_during(mysql_url, index_step.up_sql)
    assert inserted < finished, "the INSERT waited for the INPLACE, LOCK=NONE index build"

    type_step, type_impact = step({"op": "alter_column_type", "table": "t", "column": "a",
                                   "new_type": "bigint"})
    assert type_impact.lock.blocks_writes and "COPY" in type_impact.algorithm
    inserted, finished = _write_during(mysql_url, type_step.up_sql)
    assert inserted >= finished - 0.01, "the INSERT did not wait for the COPY, LOCK=SHARED change"
