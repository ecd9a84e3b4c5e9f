"""The pure batch arithmetic and SQL of tools/planning/batches.py (no database)."""

from __future__ import annotations

import pytest

from backfill_helpers import backfill_plan
from migsmith.tools.planning import batches
from migsmith.tools.errors import SpecError


def test_integer_batches_cover_each_key_once():
    ranges = list(batches.integer_batches(0, 2500, 1000))
    assert ranges == [(0, 1000), (1000, 2000), (2000, 2500)]
    assert batches.batch_count(0, 2500, 1000) == 3
    assert list(batches.integer_batches(2500, 2500, 1000)) == []
    assert list(batches.integer_batches(-5, -1, 10)) == [(-5, -1)]


def test_update_skips_rows_that_hold_the_value_in_each_dialect():
    bf = backfill_plan(where="a > 3").steps[0].backfill
    pg = batches.update_batch_sql(bf, "%(lo)s", "%(hi)s")
    assert '"id" > %(lo)s AND "id" <= %(hi)s' in pg
    assert "(a > 3) AND \"label\" IS DISTINCT FROM ('v' || a)" in pg
    assert "NOT (`label` <=> (" in batches.update_batch_sql(bf, "1", "2", "mysql")
    assert '"label" IS NOT (' in batches.update_batch_sql(bf, "1", "2", "sqlite")


def test_validate_rejects_what_planning_would_have_rejected():
    bf = backfill_plan().steps[0].backfill
    with pytest.raises(SpecError, match="does not parse"):
        batches.validate(bf.model_copy(update={"expression": "1 +"}))
    with pytest.raises(SpecError, match="calls pg_sleep"):
        batches.validate(bf.model_copy(update={"expression": "pg_sleep(1)::text"}))
    with pytest.raises(SpecError, match="single-column key"):
        batches.validate(bf.model_copy(update={"key": ["a", "id"]}))
    with pytest.raises(SpecError, match="unsafe"):
        batches.validate(bf.model_copy(update={"column": 'label"; DROP TABLE items; --'}))
    assert batches.validate(bf).expression == "'v' || a"


def test_before_postgres_11_the_step_refuses_instead_of_one_long_update():
    from backfill_helpers import DDL
    from migsmith.tools.planning.planner import build_plan
    from migsmith.tools.schema import load_ddl
    from migsmith.tools.spec.changespec import parse_spec

    spec = parse_spec({"operations": [{"op": "backfill", "table": "items", "column": "label",
                                       "expression": "a::text"}],
                       "options": {"target_version": "10", "allow_data_loss": True}})
    sql = build_plan(spec, load_ddl(DDL, "postgres")).steps[0].up_sql
    assert "needs PostgreSQL 11+" in sql and "migsmith backfill --db" in sql
    assert "UPDATE \"items\"" not in sql and "COMMIT;" not in sql
