"""Fixtures of the backfill tests: a loaded database (real PostgreSQL) and a plan directory."""

from __future__ import annotations

import psycopg
import pytest

from backfill_helpers import DDL, ROWS, backfill_plan
from migsmith.tools.planning.writer import write_plan


@pytest.fixture()
def db(pg_url):
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(DDL)
        conn.execute("INSERT INTO items SELECT g, g FROM generate_series(1, %s) g", [ROWS])
        conn.execute("INSERT INTO tags SELECT 't' || g, g FROM generate_series(1, 3000) g")
        conn.execute("INSERT INTO loose SELECT g FROM generate_series(1, 100) g")
    return pg_url


@pytest.fixture()
def plan_dir(tmp_path):
    out = tmp_path / "plan"
    write_plan(backfill_plan(), out)
    return out


