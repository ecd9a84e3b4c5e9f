"""Operations whose effect is already there are left out with a note, whoever wrote the spec;
a spec with nothing left is "nothing to do" (exit 0); a contradiction stays an error."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from migsmith.tools.errors import NothingToDo, SpecError
from migsmith.tools.planning.planner import build_plan
from migsmith.tools.schema import load_ddl
from migsmith.tools.schema.evolve import settle
from migsmith.tools.spec.changespec import parse_spec

ROOT = Path(__file__).resolve().parents[2]

DDL = """
CREATE TABLE orgs (id bigserial PRIMARY KEY, name text NOT NULL);
CREATE TABLE users (
    id bigserial PRIMARY KEY,
    org_id bigint REFERENCES orgs (id),
    email varchar(255) NOT NULL,
    name text,
    score integer NOT NULL DEFAULT 0 CHECK (score >= 0),
    handle text UNIQUE
);
CREATE INDEX users_name_idx ON users (name);
"""


@pytest.fixture(scope="module")
def schema():
    return load_ddl(DDL, "postgres", source="already-done test")


def spec(*ops):
    return parse_spec({"operations": list(ops)})


@pytest.mark.parametrize("op,note", [
    ({"op": "set_not_null", "table": "users", "column": "email"}, "users.email is already NOT NULL"),
    ({"op": "drop_not_null", "table": "users", "column": "name"}, "users.name already allows NULL"),
    ({"op": "alter_column_type", "table": "users", "column": "email",
      "new_type": "character varying(255)"}, "users.email already has type character varying(255)"),
    ({"op": "set_default", "table": "users", "column": "score", "default": "0"},
     "users.score already defaults to 0"),
    ({"op": "drop_default", "table": "users", "column": "name"}, "users.name has no default"),
    ({"op": "add_index", "table": "users", "columns": ["name"], "name": "ix_users_name"},
     "index users_name_idx already covers users(name)"),
    ({"op": "add_unique_constraint", "table": "users", "columns": ["handle"]},
     "already makes users(handle) unique"),
    ({"op": "add_foreign_key", "table": "users", "columns": ["org_id"], "ref_table": "orgs",
      "ref_columns": ["id"]}, "foreign key users_org_id_fkey already links users(org_id)"),
    ({"op": "add_check_constraint", "table": "users", "expression": "(score >= 0)"},
     "already says"),
    ({"op": "add_column", "table": "users",
      "column": {"name": "name", "type": "text"}}, "users.name already exists as text"),
])
def test_each_kind_already_in_effect_is_left_out(schema, op, note):
    settled, notes = settle(schema, spec(op))
    assert settled is None
    assert len(notes) == 1 and note in notes[0] and notes[0].startswith("Not planned: ")


def test_one_real_change_and_a_restated_one_plan_the_change_with_a_note(schema):
    plan = build_plan(spec(
        {"op": "alter_column_type", "table": "users", "column": "email", "new_type": "varchar(320)"},
        {"op": "set_not_null", "table": "users", "column": "email"}), schema)
    assert [op.op for op in plan.spec.operations] == ["alter_column_type"]
    assert "Not planned: users.email is already NOT NULL (operation 2, set_not_null)" in plan.notes


def test_an_operation_made_redundant_by_an_earlier_one_in_the_same_spec(schema):
    settled, notes = settle(schema, spec(
        {"op": "add_column", "table": "users",
         "column": {"name": "nick", "type": "text", "nullable": False, "default": "''"}},
        {"op": "set_not_null", "table": "users", "column": "nick"}))
    assert [op.op for op in settled.operations] == ["add_column"]
    assert notes == ["Not planned: users.nick is already NOT NULL (operation 2, set_not_null)"]


def test_nothing_left_is_nothing_to_do_not_an_error(schema):
    with pytest.raises(NothingToDo) as done:
        build_plan(spec({"op": "set_not_null", "table": "users", "column": "email"}), schema)
    assert done.value.exit_code == 0
    assert str(done.value) == "nothing to do: users.email is already NOT NULL (operation 1, set_not_null)"


@pytest.mark.parametrize("op,message", [
    ({"op": "set_not_null", "table": "accounts", "column": "email"}, "unknown table 'accounts'"),
    ({"op": "set_not_null", "table": "users", "column": "mail"}, "unknown column 'mail'"),
    ({"op": "add_column", "table": "users", "column": {"name": "name", "type": "integer"}},
     "column 'name' already exists"),
    ({"op": "drop_not_null", "table": "users", "column": "id"}, "primary key"),
    ({"op": "add_index", "table": "users", "columns": ["email"], "name": "users_name_idx"},
     "already exists"),
])
def test_contradictions_stay_errors(schema, op, message):
    with pytest.raises(SpecError, match=message):
        settle(schema, spec(op))


def test_cli_nothing_to_do_exits_0_and_writes_nothing(tmp_path):
    spec_file = tmp_path / "spec.json"
    spec_file.write_text(json.dumps({"operations": [
        {"op": "set_not_null", "table": "users", "column": "email"}]}))
    out = tmp_path / "plan"
    proc = subprocess.run([sys.executable, "-m", "migsmith", "plan", "--spec", str(spec_file),
                           "--schema", str(ROOT / "examples" / "schema.sql"), "--out", str(out),
                           "--json"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["nothing_to_do"] is True and "users.email is already NOT NULL" in data["notes"][0]
    assert not out.exists()


def test_a_request_that_restates_not_null_plans_one_operation_with_a_note_and_verifies(tmp_path):
    """migsmith plan "make users.email varchar(320), still not null" where users.email is
    already NOT NULL: the offline reader reads both, the core leaves the restated one out."""
    schema = tmp_path / "schema.sql"
    schema.write_text(DDL)
    out = tmp_path / "plan"
    proc = subprocess.run([sys.executable, "-m", "migsmith", "plan",
                           "make users.email varchar(320), still not null", "--schema", str(schema),
                           "--out", str(out), "--model", "offline", "--json"],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    plan = json.loads(proc.stdout)
    assert [(op["op"], op["new_type"]) for op in plan["spec"]["operations"]] == [
        ("alter_column_type", "character varying(320)")]
    assert "Not planned: users.email is already NOT NULL (operation 2, set_not_null)" in plan["notes"]
    assert plan["verification"]["ok"] is True, plan["verification"]
