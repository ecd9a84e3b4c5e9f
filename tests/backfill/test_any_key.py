"""Backfills over any orderable key on a real PostgreSQL: a uuid key (no max(uuid) exists) and a
composite key, by the DO block and by the runner (one worker and several); the adaptive size
law is the same in SQL and in Python."""

from __future__ import annotations

import psycopg
import pytest

from backfill_helpers import run_sql
from migsmith.tools.planning import batches
from migsmith.tools.planning.planner import build_plan
from migsmith.tools.running.backfill import (Job, Runner, Settings, run_parallel,
                                            split_ranges)
from migsmith.tools.schema import load_ddl
from migsmith.tools.spec.changespec import parse_spec

ROWS = 3000
DDL = f"""-- migsmith: rows={ROWS}
CREATE TABLE tokens (id uuid PRIMARY KEY, label text);
-- migsmith: rows={ROWS}
CREATE TABLE film_actor (actor_id int NOT NULL, film_id int NOT NULL, label text,
                         PRIMARY KEY (actor_id, film_id));
"""
EXPECTED = {"tokens": "left(id::text, 8)", "film_actor": "actor_id || '/' || film_id"}


@pytest.fixture()
def keyed(pg_url):
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(DDL)
        conn.execute("INSERT INTO tokens (id) SELECT gen_random_uuid() FROM generate_series(1, %s)",
                     [ROWS])
        conn.execute("INSERT INTO film_actor (actor_id, film_id) SELECT a, f "
                     "FROM generate_series(1, 60) a, generate_series(1, 50) f")
    return pg_url


def _step(table: str, **options):
    spec = parse_spec({"operations": [{"op": "backfill", "table": table, "column": "label",
                                       "expression": EXPECTED[table]}],
                       # label holds values: overwriting them is consented to, as a user must
                       "options": {"batch_size": 500, "allow_data_loss": True, **options}})
    return build_plan(spec, load_ddl(DDL, "postgres")).steps[0]


def _done(url: str, table: str) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute(f"SELECT count(*) FROM {table} WHERE label = {EXPECTED[table]}"
                            ).fetchone()[0]


@pytest.mark.parametrize("table", ["tokens", "film_actor"])
def test_do_block_walks_the_key(keyed, table):
    step = _step(table)
    assert step.backfill.key == (["id"] if table == "tokens" else ["actor_id", "film_id"])
    assert "max(\"id\")" not in step.up_sql  # no max() over the key: uuid has none
    notices: list[str] = []
    run_sql(keyed, step.up_sql, notices)
    assert _done(keyed, table) == ROWS
    run_sql(keyed, step.up_sql, notices)
    assert notices[-1].startswith(f"migsmith backfill {table}.label: done, 0 rows updated")


def test_do_block_resumes_after_a_composite_key(keyed):
    sql = _step("film_actor").up_sql.replace(
        "DO $backfill$", "SET migsmith.resume_after = '[40, 50]';\nDO $backfill$", 1)
    run_sql(keyed, sql)
    with psycopg.connect(keyed) as conn:
        before, after = conn.execute(
            "SELECT count(*) FILTER (WHERE actor_id <= 40 AND label IS NOT NULL), "
            "count(*) FILTER (WHERE actor_id > 40 AND label IS NOT NULL) FROM film_actor").fetchone()
    assert (before, after) == (0, 20 * 50)


@pytest.mark.parametrize("table", ["tokens", "film_actor"])
@pytest.mark.parametrize("workers", [1, 3])
def test_runner_walks_the_key(keyed, table, workers):
    step = _step(table)
    job = Job(step=1, plan=step.backfill)
    settings = Settings(lock_timeout_ms=500, workers=workers)
    with psycopg.connect(keyed, autocommit=True) as conn:
        runner = Runner(conn, job, settings)
        ranges = split_ranges(conn, runner.bf, runner.start_point(), workers)
        edges = [(r.last_key, r.upto) for r in ranges]
        if workers == 1:
            results = [runner.run(ranges[0])]
        else:
            results = run_parallel(keyed, job, settings, ranges)
    assert len(results) == workers and all(r.done for r in results)
    # the ranges cover the key space end to end: each starts after the one before ends
    assert edges[0][0] is None and edges[-1][1] is None
    assert all(a[1] == b[0] is not None for a, b in zip(edges, edges[1:]))
    # every row written once: an overlap would be skipped by the guard, and the sum fall short
    assert sum(r.rows_updated for r in results) == ROWS
    assert _done(keyed, table) == ROWS


def test_split_ranges_are_disjoint_and_ordered(keyed):
    job = Job(step=1, plan=_step("tokens").backfill)
    with psycopg.connect(keyed, autocommit=True) as conn:
        runner = Runner(conn, job, Settings(lock_timeout_ms=500))
        ranges = split_ranges(conn, runner.bf, runner.start_point(), 4)
        assert len(ranges) == 4 and ranges[0].last_key is None and ranges[-1].upto is None
        for a, b in zip(ranges, ranges[1:]):
            assert a.upto == b.last_key
            assert conn.execute("SELECT %s::uuid < %s::uuid",
                                [str(b.last_key), str(b.upto or "ffffffff-ffff-ffff-ffff-ffffffffffff")]
                                ).fetchone()[0]


def test_resize_in_sql_is_resize_in_python(pg_url):
    bf = _step("tokens").backfill
    cases = [(size, elapsed, pressure) for size in (100, 137, 500, 2000)
             for elapsed in (0.0, 0.4, 1.0, 7.5, 33.3, 50.0, 66.6, 100.0, 1234.5)
             for pressure in (0, 2)]
    with psycopg.connect(pg_url) as conn:
        for size, elapsed, pressure in cases:
            sql = batches.resize_sql(bf, "%(s)s::bigint", "%(e)s::float8", "%(p)s::int")
            got = conn.execute(f"SELECT {sql}", {"s": size, "e": elapsed, "p": pressure}).fetchone()[0]
            assert int(got) == batches.resize(bf, size, elapsed, pressure), (size, elapsed, pressure)
            wait = conn.execute(f"SELECT {batches.pause_sql(bf, '%(n)s', '%(e)s::float8', '%(p)s')}",
                                {"n": size, "e": elapsed, "p": pressure}).fetchone()[0]
            assert float(wait) == pytest.approx(batches.pause_ms(bf, size, elapsed, pressure))


def test_sizes_grow_while_fast_and_shrink_when_slow_or_blocking():
    bf = _step("tokens", batch_size=10_000, batch_ms=50).backfill
    assert batches.bounds(bf) == (100, 1000, 10_000)
    assert batches.resize(bf, 1000, 10) == 1500  # fast: at most x1.5
    assert batches.resize(bf, 1000, 100) == 500  # twice the target: half
    assert batches.resize(bf, 1000, 60) == 833
    assert batches.resize(bf, 9000, 1) == 10_000  # never past the largest
    assert batches.resize(bf, 150, 500) == 100  # never below the smallest
    assert batches.resize(bf, 1000, 10, pressure=1) == 500  # kept someone waiting: halve
    fixed = _step("tokens", batch_size=700, batch_ms=0).backfill
    assert batches.bounds(fixed) == (700, 700, 700)
    assert batches.resize(fixed, 700, 1) == 700
    capped = _step("tokens", max_rows_per_s=1000, batch_pause_ms=5).backfill
    assert batches.pause_ms(capped, 100, 20) == pytest.approx(80)  # 100 rows per 100 ms
    assert batches.pause_ms(capped, 1, 20) == 5  # the least pause
    assert batches.pause_ms(capped, 1, 20, pressure=1) == 20  # as long as it held them
