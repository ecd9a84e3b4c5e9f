"""The client-side runner and `migsmith backfill` on a real server: interrupted runs resume to
a correct result, --dry-run changes nothing, bad input is refused before anything runs."""

from __future__ import annotations

import json
import re
import threading
import time

import psycopg
import pytest

from backfill_helpers import ROWS, backfill_plan, labels
from cli_run import invoke
from migsmith.tools.running.backfill import (STATE_FILE, Interrupted, Job, Runner, Settings,
                                            read_state, resume_point)
from migsmith.tools.errors import SpecError
from migsmith.tools.planning.writer import write_plan


def _job(**kw) -> Job:
    step = backfill_plan(**kw).steps[0]
    return Job(step=step.number, plan=step.backfill, title=step.title)


def _settings(job, **kw) -> Settings:
    base = dict(batch_size=job.plan.batch_size, pause_ms=job.plan.pause_ms,
                lock_timeout_ms=job.plan.lock_timeout_ms)
    return Settings(**(base | kw))


def test_crash_after_k_batches_then_resume_from_state_file(db, tmp_path):
    job = _job(batch_size=1000)
    state = tmp_path / STATE_FILE

    class Crash(Exception):
        pass

    def crash_after_7(progress):
        if progress.batches == 7:
            raise Crash

    with psycopg.connect(db, autocommit=True) as conn:
        runner = Runner(conn, job, _settings(job), state_path=state, on_batch=crash_after_7)
        with pytest.raises(Crash):
            runner.run(runner.start_point())
    saved = read_state(state)[f"step 1: items.label"]
    assert saved["last_key"] == 7000 and not saved["done"]
    assert labels(db)[0] == 7000

    start, where = resume_point(state, job, None)
    assert start == 7000 and "state file" in where
    with psycopg.connect(db, autocommit=True) as conn:
        runner = Runner(conn, job, _settings(job), state_path=state)
        progress = runner.run(runner.start_point(start))
    assert progress.done and progress.rows_updated == ROWS - 7000
    assert labels(db) == (ROWS, ROWS)
    assert resume_point(state, job, None) == (None, None)  # finished: nothing to resume


def test_terminated_session_stops_cleanly_and_resumes(db, tmp_path):
    job = _job(batch_size=500)
    state = tmp_path / STATE_FILE
    errors: list[Exception] = []
    conn = psycopg.connect(db, autocommit=True)
    pid = conn.info.backend_pid
    runner = Runner(conn, job, _settings(job, pause_ms=30), state_path=state)
    progress = runner.start_point()

    def work():
        try:
            runner.run(progress)
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            errors.append(exc)

    worker = threading.Thread(target=work)
    worker.start()
    with psycopg.connect(db, autocommit=True) as admin:
        while progress.batches < 5:
            time.sleep(0.01)
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    worker.join(30)
    assert errors and isinstance(errors[0], Interrupted), errors
    stopped_at = errors[0].progress.last_key
    assert 2500 <= stopped_at < ROWS
    assert read_state(state)["step 1: items.label"]["last_key"] == stopped_at

    start, _ = resume_point(state, job, None)
    with psycopg.connect(db, autocommit=True) as conn2:
        runner = Runner(conn2, job, _settings(job, pause_ms=0), state_path=state)
        runner.run(runner.start_point(start))
    assert labels(db) == (ROWS, ROWS)


def test_text_key_runner_covers_every_row(db):
    job = _job(table="tags", expression="upper(code)", batch_size=400)
    with psycopg.connect(db, autocommit=True) as conn:
        runner = Runner(conn, job, _settings(job))
        progress = runner.run(runner.start_point())
    assert progress.rows_updated == 3000 and progress.batches == 8
    assert labels(db, "tags") == (3000, 3000)


def test_cli_runs_and_a_second_run_is_a_no_op(db, plan_dir):
    first = invoke(["backfill", "--db", db, str(plan_dir), "--pause-ms", "0"])
    assert first.exit_code == 0, first.output
    assert f"{ROWS} rows updated in 20 batches" in first.output
    assert labels(db) == (ROWS, ROWS)
    second = invoke(["backfill", "--db", db, str(plan_dir), "--pause-ms", "0",
                              "--resume-from", "0"])
    assert second.exit_code == 0, second.output
    assert "0 rows updated in 20 batches" in second.output
    assert json.loads((plan_dir / STATE_FILE).read_text())["step 1: items.label"]["done"]


def test_dry_run_prints_batches_and_changes_nothing(db, plan_dir):
    res = invoke(["backfill", "--db", db, str(plan_dir), "--dry-run",
                                   "--batch-size", "3000"])
    assert res.exit_code == 0, res.output
    assert "7 batches of 3000" in res.output
    assert "batch 1: id > 0 AND id <= 3000" in res.output
    assert "batch 7: id > 18000 AND id <= 20000" in res.output
    assert "IS DISTINCT FROM" in res.output
    assert labels(db)[0] == 0
    assert not (plan_dir / STATE_FILE).exists()


def test_table_without_key_is_refused_with_the_alternative():
    with pytest.raises(SpecError) as exc:
        backfill_plan(table="loose", expression="'x'")
    assert "no primary key or unique NOT NULL key" in exc.value.message
    assert "maintenance window" in (exc.value.hint or "")


def test_live_table_without_unique_key_is_refused_before_any_update(db, plan_dir):
    with psycopg.connect(db, autocommit=True) as conn:
        conn.execute("ALTER TABLE items DROP CONSTRAINT items_pkey")
    res = invoke(["backfill", "--db", db, str(plan_dir)])
    assert res.exit_code == 1
    assert "not a unique NOT NULL key" in res.output and "maintenance window" in res.output
    assert labels(db)[0] == 0


def test_expression_that_does_not_parse_is_reported_before_anything_runs(db, tmp_path):
    plan = backfill_plan()
    plan.steps[0].backfill.expression = "'v' || (a"
    out = tmp_path / "edited"
    write_plan(plan, out)
    res = invoke(["backfill", "--db", "postgresql://nobody@/nowhere?host=/nonexistent",
                                   str(out)])
    assert res.exit_code == 1
    assert "does not parse" in res.output, res.output
    assert "cannot connect" not in res.output  # checked before the connection
    assert labels(db)[0] == 0


def test_unknown_step_and_missing_plan_are_one_line_errors(db, plan_dir, tmp_path):
    res = invoke(["backfill", "--db", db, str(plan_dir), "--step", "9"])
    assert res.exit_code == 1 and "step 9 is not a backfill step" in res.output
    res = invoke(["backfill", "--db", db, str(tmp_path / "nothing")])
    assert res.exit_code == 1 and "neither a plan directory nor a spec" in res.output


def test_ctrl_c_saves_the_resume_point(db, tmp_path):
    job = _job(batch_size=1000)
    state = tmp_path / STATE_FILE

    def ctrl_c_after_3(progress):
        if progress.batches == 3:
            raise KeyboardInterrupt

    with psycopg.connect(db, autocommit=True) as conn:
        runner = Runner(conn, job, _settings(job), state_path=state, on_batch=ctrl_c_after_3)
        with pytest.raises(Interrupted) as exc:
            runner.run(runner.start_point())
    assert exc.value.exit_code == 130 and "resume point: key 3000" in str(exc.value)
    assert read_state(state)["step 1: items.label"]["last_key"] == 3000


def test_slows_down_while_a_client_waits_on_its_rows(db):
    """A client that needs a row of the batch in flight waits for our COMMIT: the runner sees
    it in pg_stat_activity and lengthens its pause."""
    with psycopg.connect(db, autocommit=True) as conn:
        # makes each batch hold its row locks for 0.3 s, long enough to be caught waiting
        conn.execute("""CREATE FUNCTION slow() RETURNS trigger LANGUAGE plpgsql AS
                        $$ BEGIN PERFORM pg_sleep(0.3); RETURN NULL; END $$;
                        CREATE TRIGGER slow AFTER UPDATE ON items
                        FOR EACH STATEMENT EXECUTE FUNCTION slow()""")
    job = _job(batch_size=1000)
    current = {"last": 15000}
    stop = threading.Event()

    def client():
        with psycopg.connect(db, autocommit=True) as c:
            c.execute("SET lock_timeout = '5s'")
            while not stop.is_set():
                c.execute("UPDATE items SET a = a WHERE id = %s", [current["last"] + 500])
                time.sleep(0.02)

    worker = threading.Thread(target=client)
    worker.start()
    try:
        with psycopg.connect(db, autocommit=True) as conn:
            runner = Runner(conn, job, _settings(job, pause_ms=10),
                            on_batch=lambda p: current.update(last=p.last_key))
            progress = runner.run(runner.start_point("15000"))
    finally:
        stop.set()
        worker.join(10)
    assert progress.batches == 5
    assert progress.throttled >= 1, progress
    assert labels(db)[0] == 5000


def test_spec_is_planned_against_the_live_schema(db, tmp_path):
    spec = tmp_path / "fill.json"
    spec.write_text(json.dumps({"operations": [{"op": "backfill", "table": "items",
                                                "column": "label", "expression": "'v' || a"}],
                                "options": {"batch_size": 5000, "batch_pause_ms": 0,
                                            "allow_data_loss": True}}))
    res = invoke(["backfill", "--db", db, str(spec)])
    assert res.exit_code == 0, res.output
    # adaptive batches (the spec's default) of at most 5000 rows
    batches_run = int(re.search(rf"{ROWS} rows updated in (\d+) batches", res.output).group(1))
    assert batches_run >= 4
    assert labels(db) == (ROWS, ROWS)
    assert (tmp_path / f"fill.{STATE_FILE}").is_file()


def test_spec_with_an_unparsable_expression_is_refused_before_connecting(tmp_path):
    spec = tmp_path / "bad.json"
    spec.write_text(json.dumps({"operations": [{"op": "backfill", "table": "items",
                                                "column": "label", "expression": "'v' || (a"}]}))
    res = invoke(["backfill", "--db",
                                   "postgresql://nobody@/nowhere?host=/nonexistent", str(spec)])
    assert res.exit_code == 1
    assert "does not parse" in res.output, res.output


def test_lock_timeout_on_a_batch_is_retried(db):
    job = _job(batch_size=1000)
    holder = psycopg.connect(db)
    holder.execute("SELECT 1 FROM items WHERE id = 2500 FOR UPDATE")  # a client's open txn
    threading.Timer(0.8, holder.rollback).start()
    try:
        with psycopg.connect(db, autocommit=True) as conn:
            runner = Runner(conn, job, _settings(job, lock_timeout_ms=100, pause_ms=0))
            progress = runner.run(runner.start_point())
    finally:
        time.sleep(0.9)
        holder.close()
    assert progress.retries >= 2 and progress.done
    assert labels(db) == (ROWS, ROWS)
