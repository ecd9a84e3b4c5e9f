"""The generated DO block on a real server: batches commit, re-runs change nothing, resumes,
and lock timeouts are retried instead of failing the whole backfill."""

from __future__ import annotations

import threading
import time

import psycopg

from backfill_helpers import ROWS, backfill_plan, labels, run_sql


def test_batches_commit_and_release_row_locks_while_it_runs(db):
    step = backfill_plan(batch_size=1000, pause_ms=20).steps[0]
    worker = threading.Thread(target=run_sql, args=(db, step.up_sql))
    worker.start()
    seen_partial, locked_row_free = False, False
    with psycopg.connect(db, autocommit=True) as watch:
        deadline = time.time() + 30
        while worker.is_alive() and time.time() < deadline:
            done = watch.execute("SELECT count(*) FROM items WHERE label IS NOT NULL").fetchone()[0]
            if 2000 <= done < ROWS - 2000:
                seen_partial = True
                # row 1 was updated by the first batch: its lock must be gone by now
                with watch.transaction():
                    watch.execute("SET LOCAL lock_timeout = '50ms'")
                    watch.execute("SELECT 1 FROM items WHERE id = 1 FOR UPDATE NOWAIT")
                locked_row_free = True
                break
            time.sleep(0.01)
    worker.join(60)
    assert seen_partial, "no intermediate progress visible: the batches did not commit"
    assert locked_row_free
    assert labels(db) == (ROWS, ROWS)


def test_rerun_changes_nothing(db):
    step = backfill_plan().steps[0]
    run_sql(db, step.up_sql)
    with psycopg.connect(db) as conn:
        before = conn.execute("SELECT sum(xmin::text::bigint) FROM items").fetchone()[0]
    notices: list[str] = []
    run_sql(db, step.up_sql, notices)
    with psycopg.connect(db) as conn:
        after = conn.execute("SELECT sum(xmin::text::bigint) FROM items").fetchone()[0]
    assert before == after, "the second run rewrote rows"
    assert any("done, 0 rows updated" in n for n in notices), notices


def test_resume_after_a_key_only_touches_later_rows(db):
    step = backfill_plan().steps[0]
    sql = step.up_sql.replace("DO $backfill$", "SET migsmith.resume_after = '15000';\nDO $backfill$")
    run_sql(db, sql)
    with psycopg.connect(db) as conn:
        lo, hi = conn.execute("SELECT count(*) FILTER (WHERE id <= 15000 AND label IS NOT NULL),"
                              " count(*) FILTER (WHERE id > 15000 AND label = 'v' || a) "
                              "FROM items").fetchone()
    assert (lo, hi) == (0, ROWS - 15000)


def test_text_key_walks_every_row(db):
    step = backfill_plan(table="tags", expression="upper(code)", batch_size=700).steps[0]
    run_sql(db, step.up_sql)
    assert labels(db, "tags") == (3000, 3000)


def test_lock_timeout_is_retried_not_fatal(db):
    step = backfill_plan(batch_size=1000).steps[0]
    sql = step.up_sql.replace("SET lock_timeout = '200ms'", "SET lock_timeout = '50ms'")
    assert "SET lock_timeout = '50ms'" in sql
    holder = psycopg.connect(db)
    holder.execute("SELECT 1 FROM items WHERE id = 5500 FOR UPDATE")  # a client's open txn
    notices: list[str] = []
    worker = threading.Thread(target=run_sql, args=(db, sql, notices))
    worker.start()
    time.sleep(1.0)  # several lock timeouts on batch 6
    with psycopg.connect(db) as conn:
        done = conn.execute("SELECT count(*) FROM items WHERE label IS NOT NULL").fetchone()[0]
    holder.rollback()
    holder.close()
    worker.join(60)
    assert done == 5000, "batches 1-5 commit; batch 6 waits for the client's row"
    assert labels(db) == (ROWS, ROWS)


def test_no_offset_and_index_range_per_batch(db):
    from migsmith.tools.planning import batches

    bf = backfill_plan().steps[0].backfill
    sql = batches.update_batch_sql(bf, "1000", "2000")
    assert "OFFSET" not in sql.upper() and "LIMIT" not in sql.upper()
    with psycopg.connect(db) as conn:
        conn.execute("ANALYZE items")
        plan = "\n".join(r[0] for r in conn.execute("EXPLAIN " + sql))
        conn.rollback()
    assert "items_pkey" in plan, plan
