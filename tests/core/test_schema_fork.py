"""Planning copies only the tables an operation changes (``Schema.fork``/``own``), and never
changes the schema it is given: every operation kind, on a pg_dump-shaped schema with
partitions, views, foreign-key cycles and triggers, leaves the input exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from migsmith.tools.planning.planner import build_plan
from migsmith.tools.schema import load_schema
from migsmith.tools.schema.evolve import evolve
from migsmith.tools.spec.changespec import parse_spec

ROOT = Path(__file__).resolve().parents[2]
PG = ROOT / "tests" / "fixtures" / "realworld" / "pg_dump_style.sql"

OPS = {
    "add_column_partitioned": {"op": "add_column", "table": "orders",
                               "column": {"name": "note", "type": "text"}},
    "rename_referenced_column": {"op": "rename_column", "table": "teams", "column": "id",
                                 "new_name": "team_id"},
    "rename_referenced_table": {"op": "rename_table", "table": "teams", "new_name": "groups"},
    "alter_type": {"op": "alter_column_type", "table": "teams", "column": "name",
                   "new_type": "varchar(80)"},
    "set_not_null": {"op": "set_not_null", "table": "settings", "column": "value"},
    "drop_column": {"op": "drop_column", "table": "accounts", "column": "last_ip"},
    "drop_index": {"op": "drop_index", "name": "index_accounts_on_tags"},
    "add_index": {"op": "add_index", "table": "teams", "columns": ["name"]},
    "add_foreign_key": {"op": "add_foreign_key", "table": "audit_log", "columns": ["row_id"],
                        "ref_table": "settings", "ref_columns": ["key"]},
    "drop_table": {"op": "drop_table", "table": "settings"},
    "index_partitioned": {"op": "add_index", "table": "shipments", "columns": ["order_id"]},
    "foreign_key_partitioned": {"op": "add_foreign_key", "table": "shipments",
                                "columns": ["order_id"], "ref_table": "audit_log",
                                "ref_columns": ["id"]},
}


@pytest.fixture(scope="module")
def schema():
    return load_schema(str(PG))


@pytest.mark.parametrize("name", sorted(OPS))
def test_planning_leaves_the_given_schema_as_it_was(schema, name):
    before = schema.model_dump()
    spec = parse_spec({"operations": [OPS[name]], "options": {"allow_data_loss": True}})
    after = evolve(schema, spec).schema
    if name != "rename_referenced_column":  # planned online, that one is refused (and says so)
        build_plan(spec, schema)
    assert schema.model_dump() == before
    assert after.model_dump() != before  # the operation did change the evolved copy


def test_a_fork_shares_untouched_tables_and_copies_what_it_changes(schema):
    fork = schema.fork()
    assert fork.tables["accounts"] is schema.tables["accounts"]
    teams = fork.own("teams")
    assert teams is not schema.tables["teams"] and teams == schema.tables["teams"]
    assert fork.own("teams") is teams  # copied once
    teams.columns.pop()
    assert len(schema.tables["teams"].columns) == len(teams.columns) + 1
    assert fork.tables["accounts"] is schema.tables["accounts"]
    again = fork.fork()  # after a fork neither side owns a table: the next change copies
    assert again.own("teams") is not teams
