"""Two requests a new user typed that planned but failed their own verification, now proved on
real servers: the request goes through the offline reader, the plan is verified up, down, up."""

from __future__ import annotations

import pytest

from migsmith.agent.runner import request_to_spec
from migsmith.tools.planning.planner import build_plan
from migsmith.tools.planning.writer import write_plan
from migsmith.tools.proving.verify import verify_plan_dir
from migsmith.tools.schema import load_schema
from verify_helpers import ROOT

NOT_NULL_DEFAULT = "make users.name not null default ''"
SERIAL_TABLE = ("create a table audit_log with id bigserial primary key, action text not null, "
                "created_at timestamptz not null default now()")


def _plan(request: str, dialect: str, out):
    name = "schema.sql" if dialect == "postgres" else f"schema_{dialect}.sql"
    schema_file = str(ROOT / "examples" / name)
    schema = load_schema(schema_file, dialect)
    spec = request_to_spec(request, schema, model="offline", dialect=dialect).spec
    plan = build_plan(spec, schema)
    write_plan(plan, out)
    return plan, schema_file


def _problems(report) -> str:
    return "\n".join(p for r in (report.plan, report.alternative) if r for p in r.problems())


def _check_fill(plan):
    """The NULLs of users.name take '' before NOT NULL is checked, in the safe and simple plan."""
    fill = next(s for s in plan.steps if "UPDATE" in s.up_sql and "IS NULL" in s.up_sql)
    whole = "".join(s.up_sql for s in plan.steps)
    assert whole.index("IS NULL") < whole.rindex("NOT NULL")
    assert "NULL keep ''" in fill.irreversible


def test_not_null_default_fills_existing_nulls_on_postgres(tmp_path, pg_server_url):
    plan, schema = _plan(NOT_NULL_DEFAULT, "postgres", tmp_path / "p")
    _check_fill(plan)
    assert any("UPDATE" in s.up_sql for s in plan.alternative.steps)
    report = verify_plan_dir(tmp_path / "p", schema, server_url=pg_server_url, write=False)
    assert report.ok, _problems(report)


def test_not_null_default_fills_existing_nulls_on_sqlite(tmp_path):
    plan, schema = _plan(NOT_NULL_DEFAULT, "sqlite", tmp_path / "p")
    _check_fill(plan)
    report = verify_plan_dir(tmp_path / "p", schema, write=False)
    assert report.ok, _problems(report)


@pytest.mark.mariadb
def test_not_null_default_fills_existing_nulls_on_mariadb(tmp_path, mariadb_server_url):
    plan, schema = _plan(NOT_NULL_DEFAULT, "mysql", tmp_path / "p")
    _check_fill(plan)
    # MODIFY COLUMN restates the column: the default set by the step before must survive it
    modify = next(s.up_sql for s in plan.steps if "MODIFY COLUMN" in s.up_sql)
    assert "DEFAULT ''" in modify
    report = verify_plan_dir(tmp_path / "p", schema, server_url=mariadb_server_url, write=False)
    assert report.ok, _problems(report)


def test_bigserial_primary_key_table_verifies(tmp_path, pg_server_url):
    plan, schema = _plan(SERIAL_TABLE, "postgres", tmp_path / "p")
    assert "bigserial" in plan.steps[0].up_sql
    report = verify_plan_dir(tmp_path / "p", schema, server_url=pg_server_url, write=False)
    assert report.ok, _problems(report)
