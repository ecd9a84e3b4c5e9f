"""Issue 10, defect 6: data destroyed without consent. A backfill that overwrites values (no
condition that only fills NULLs, a constant on every row) and a narrowing type change are
destructive: refused without allow_data_loss, and their downs say what cannot come back."""

from __future__ import annotations

import json

import pytest
from hostile_helpers import SCHEMA, SCHEMAS, assert_refused, run, write_spec

from migsmith.tools.errors import SpecError
from migsmith.tools.planning.planner import build_plan
from migsmith.tools.schema import load_schema
from migsmith.tools.spec.changespec import parse_spec


def _plan(ops: list[dict], dialect: str = "postgres", **options):
    spec = parse_spec({"operations": ops, "options": {"dialect": dialect, **options}})
    return build_plan(spec, load_schema(str(SCHEMAS[dialect]), dialect))


def _downs(plan) -> str:
    return "\n".join(s.down_sql for s in plan.all_steps())


@pytest.mark.parametrize("request_text", ["set name to null for all users",
                                          "set every post's views to 0"])
def test_requests_that_overwrite_every_row_need_consent(tmp_path, request_text):
    out = tmp_path / "plan"
    refused = run("plan", request_text, "--schema", SCHEMA, "--out", out, "--no-verify",
                  "--model", "offline")
    assert_refused(refused, says="allow_data_loss", out=out)
    kept = run("plan", request_text, "--schema", SCHEMA, "--out", out, "--no-verify",
               "--model", "offline", "--allow-data-loss", "--json")
    assert kept.returncode == 0, kept.stderr
    data = json.loads(kept.stdout)
    assert any(i["classification"] == "destructive" for i in data["impact"])
    downs = "".join((out / s["down"]).read_text() for s in data["steps"] if s["down"])
    assert "CANNOT BE UNDONE" in downs and "are gone" in downs


@pytest.mark.parametrize("dialect", ["postgres", "mysql", "sqlite"])
def test_an_overwriting_backfill_is_refused_and_its_down_says_so(dialect):
    ops = [{"op": "backfill", "table": "users", "column": "name", "expression": "'x'"}]
    with pytest.raises(SpecError, match="replaces the values of name"):
        _plan(ops, dialect)
    plan = _plan(ops, dialect, allow_data_loss=True)
    assert plan.impacts[0].classification == "destructive"
    assert "CANNOT BE UNDONE: the backfill replaces the values of name" in _downs(plan)


@pytest.mark.parametrize("dialect", ["postgres", "mysql", "sqlite"])
@pytest.mark.parametrize("op", [
    {"op": "backfill", "table": "users", "column": "name", "expression": "email",
     "where": "name IS NULL"},
    {"op": "backfill", "table": "users", "column": "name", "expression": "'x'",
     "where": "id > 10 AND name IS NULL"},
    {"op": "backfill", "table": "users", "column": "name", "expression": "coalesce(name, email)"},
], ids=["is_null", "and_is_null", "coalesce"])
def test_backfills_that_only_fill_nulls_need_no_consent(dialect, op):
    plan = _plan([op], dialect)
    assert plan.impacts[0].classification != "destructive"
    assert "CANNOT BE UNDONE" not in _downs(plan)


def test_a_backfill_of_a_column_the_plan_adds_needs_no_consent():
    plan = _plan([{"op": "add_column", "table": "users",
                   "column": {"name": "nick", "type": "text", "default": "'none'"}},
                  {"op": "backfill", "table": "users", "column": "nick", "expression": "name"}])
    assert all(i.classification != "destructive" for i in plan.impacts)


@pytest.mark.parametrize("dialect,table,column,new_type,what", [
    ("postgres", "posts", "created", "date", "drops the time of day"),
    ("postgres", "comments", "created_at", "date", "drops the time of day"),
    ("postgres", "posts", "created", "timestamp(0)", "drops the fractional seconds"),
    ("postgres", "posts", "title", "varchar(10)", "longer than 10 characters"),
    ("postgres", "posts", "status", "varchar(5)", "longer than 5 characters"),
    ("postgres", "users", "org_id", "integer", "cannot hold every bigint value"),
    ("postgres", "posts", "views", "smallint", "cannot hold every integer value"),
    ("mysql", "posts", "created", "date", "drops the time of day"),
    ("mysql", "users", "org_id", "int", "cannot hold every bigint value"),
])
def test_narrowing_type_changes_need_consent(dialect, table, column, new_type, what):
    ops = [{"op": "alter_column_type", "table": table, "column": column, "new_type": new_type}]
    with pytest.raises(SpecError, match=what):
        _plan(ops, dialect)
    plan = _plan(ops, dialect, allow_data_loss=True)
    assert plan.impacts[0].classification == "destructive"
    assert f"CANNOT BE UNDONE: {table}.{column} went from" in _downs(plan)
    assert what in _downs(plan)


@pytest.mark.parametrize("new_type", ["numeric(12,2)", "numeric(10,1)", "real", "integer"])
def test_numeric_precision_down(new_type):
    schema = load_schema(str(SCHEMA))
    schema.table("posts").column("views").type = "numeric(10,2)"
    spec = parse_spec({"operations": [{"op": "alter_column_type", "table": "posts",
                                       "column": "views", "new_type": new_type}]})
    if new_type == "numeric(12,2)":
        build_plan(spec, schema)  # wider: no consent needed
        return
    with pytest.raises(SpecError, match="data would be lost"):
        build_plan(spec, schema)


def test_widening_needs_no_consent():
    plan = _plan([{"op": "alter_column_type", "table": "posts", "column": "views",
                   "new_type": "bigint"}])
    assert plan.impacts[0].classification != "destructive"


def test_the_cli_refuses_a_timestamp_to_date_change_in_one_line(tmp_path):
    out = tmp_path / "plan"
    spec = write_spec(tmp_path, {"operations": [{"op": "alter_column_type", "table": "posts",
                                                 "column": "created", "new_type": "date"}]})
    assert_refused(run("plan", "--spec", spec, "--schema", SCHEMA, "--out", out, "--no-verify"),
                   says="drops the time of day", out=out)
