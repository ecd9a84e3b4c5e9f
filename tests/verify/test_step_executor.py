"""The executor: statement by statement, the step's own transactions, retries, clear errors."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest

from migsmith.tools.errors import SQLParseError
from migsmith.tools.running.executor import ExecutionError, apply_step_sql, split_statements

pytestmark = pytest.mark.postgres


def test_split_keeps_do_blocks_whole_and_knows_lines():
    sql = "SET x = 1;\n\n-- c\nDO $$\nBEGIN\n  PERFORM 1; COMMIT;\nEND\n$$;\nSELECT 'é;';\n"
    stmts = split_statements(sql)
    assert [s.line for s in stmts] == [1, 4, 9]
    assert stmts[1].text.startswith("DO $$") and stmts[1].text.endswith("$$")
    assert stmts[2].text == "SELECT 'é;'"


def test_parse_error_names_file_line_and_column():
    with pytest.raises(SQLParseError) as err:
        split_statements("SELECT 1;\n  SELEC x;", file="001_x.up.sql")
    assert str(err.value).startswith("001_x.up.sql:2:3: syntax error at or near \"SELEC\"")


def test_concurrently_and_commit_in_do_run_outside_a_transaction(pg_url):
    sql = ("CREATE TABLE t (id int PRIMARY KEY, v int);\n"
           "INSERT INTO t SELECT g, NULL FROM generate_series(1, 10) g;\n"
           "CREATE INDEX CONCURRENTLY t_v_idx ON t (v);\n"
           "DO $$ BEGIN UPDATE t SET v = 1 WHERE id <= 5; COMMIT; "
           "UPDATE t SET v = 2 WHERE id > 5; COMMIT; END $$;\n")
    with psycopg.connect(pg_url, autocommit=True) as conn:
        results = apply_step_sql(conn, sql)
        assert [r.in_transaction for r in results] == [False] * 4
        assert conn.execute("SELECT count(*) FILTER (WHERE v IS NOT NULL) FROM t").fetchone() == (10,)


def test_failure_rolls_back_the_block_and_names_the_statement(pg_url):
    sql = ("CREATE TABLE t (id int);\n"
           "BEGIN;\nALTER TABLE t ADD COLUMN a int;\nALTER TABLE t ADD COLUMN id int;\nCOMMIT;\n")
    with psycopg.connect(pg_url, autocommit=True) as conn:
        with pytest.raises(ExecutionError) as err:
            apply_step_sql(conn, sql, file="002_y.up.sql")
        assert str(err.value) == ('002_y.up.sql: statement 4 (line 4): column "id" of relation '
                                  '"t" already exists')
        cols = conn.execute("SELECT count(*) FROM information_schema.columns "
                            "WHERE table_name = 't'").fetchone()
        assert cols == (1,)  # the ADD COLUMN a of the failed block was rolled back
        assert conn.info.transaction_status.name == "IDLE"


def test_missing_commit_is_refused(pg_url):
    with psycopg.connect(pg_url, autocommit=True) as conn:
        with pytest.raises(ExecutionError, match="missing COMMIT"):
            apply_step_sql(conn, "BEGIN;\nCREATE TABLE t (id int);\n")
        assert conn.execute("SELECT to_regclass('t')").fetchone() == (None,)


def _hold_lock(url: str, table: str, seconds: float, ready: threading.Event) -> None:
    with psycopg.connect(url) as other:
        other.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
        ready.set()
        time.sleep(seconds)
        other.rollback()


def test_lock_timeout_is_retried_from_the_begin(pg_url):
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE t (id int)")
        ready = threading.Event()
        holder = threading.Thread(target=_hold_lock, args=(pg_url, "t", 0.5, ready))
        holder.start()
        ready.wait(5)
        sql = ("BEGIN;\nSET LOCAL lock_timeout = '100ms';\n"
               "ALTER TABLE t ADD COLUMN a int;\nCOMMIT;\n")
        seen = []
        results = apply_step_sql(conn, sql, retries=6, backoff_s=0.05, on_statement=seen.append)
        holder.join()
        alter = next(r for r in results if r.statement.text.startswith("ALTER"))
        assert alter.attempts > 1
        assert [r.statement.number for r in results] == [1, 2, 3, 4]
        assert conn.execute("SELECT count(*) FROM information_schema.columns "
                            "WHERE table_name = 't' AND column_name = 'a'").fetchone() == (1,)


def test_lock_timeout_gives_up_after_the_retries(pg_url):
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE t (id int)")
        ready = threading.Event()
        holder = threading.Thread(target=_hold_lock, args=(pg_url, "t", 1.5, ready))
        holder.start()
        ready.wait(5)
        try:
            with pytest.raises(ExecutionError, match=r"lock timeout \(after 3 attempts\)"):
                apply_step_sql(conn, "SET lock_timeout = '50ms';\nALTER TABLE t ADD COLUMN a int;",
                               retries=2, backoff_s=0.01)
        finally:
            holder.join()


def test_failed_concurrent_build_leaves_no_invalid_index(pg_url):
    """CREATE INDEX CONCURRENTLY that times out waiting for a writer leaves an INVALID index;
    the retry drops it and builds a valid one (IF NOT EXISTS would otherwise skip it)."""
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE t (id int PRIMARY KEY, v int)")
        conn.execute("INSERT INTO t SELECT g, g FROM generate_series(1, 100) g")
        ready = threading.Event()

        def writer() -> None:
            with psycopg.connect(pg_url) as other:
                other.execute("UPDATE t SET v = v WHERE id = 1")  # holds ROW EXCLUSIVE
                ready.set()
                time.sleep(0.6)
                other.commit()

        holder = threading.Thread(target=writer)
        holder.start()
        ready.wait(5)
        sql = ("SET lock_timeout = '100ms';\n"
               "CREATE INDEX CONCURRENTLY IF NOT EXISTS t_v_idx ON t (v);\n"
               "RESET lock_timeout;\n")
        results = apply_step_sql(conn, sql, retries=8, backoff_s=0.1)  # (False: INVALID)
        holder.join()
        assert results[1].attempts > 1
        assert conn.execute("SELECT indisvalid FROM pg_index "
                            "WHERE indexrelid = 't_v_idx'::regclass").fetchone() == (True,)
