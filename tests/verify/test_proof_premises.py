"""The proof on real schemas' shapes: sample rows keep what a request takes as given (no NULL
in a column it makes NOT NULL, a parent for every row of a new foreign key, even on uuid
keys), and an index the plan rebuilds from another spelling of its expression is the same
index (NORMALIZE(x, NFKC) and "normalize"(x::text, 'NFKC'::text))."""

from __future__ import annotations

import json

from migsmith.tools.proving.seed import premises
from migsmith.tools.proving.verify import verify_plan_dir
from migsmith.tools.spec.changespec import parse_spec

from verify_helpers import make_plan_dir


def test_a_not_null_the_spec_backfills_first_needs_no_premise():
    spec = parse_spec(json.dumps({"operations": [
        {"op": "backfill", "table": "t", "column": "a", "expression": "0", "where": "a IS NULL"},
        {"op": "set_not_null", "table": "t", "column": "a"},
        {"op": "set_not_null", "table": "t", "column": "b"},
        {"op": "add_foreign_key", "table": "t", "columns": ["p"], "ref_table": "p",
         "ref_columns": ["id"]},
        {"op": "add_index", "table": "t", "columns": ["c"]}]}))
    assert [(o.op, getattr(o, "column", None)) for o in premises(spec.operations)] == [
        ("set_not_null", "b"), ("add_foreign_key", None)]


def test_requests_premises_hold_in_the_sample_rows(tmp_path, pg_server_url):
    schema = tmp_path / "schema.sql"
    schema.write_text("CREATE TABLE parents (id uuid PRIMARY KEY DEFAULT gen_random_uuid(),\n"
                      "    name text);\n"
                      "CREATE TABLE children (id bigint PRIMARY KEY, parent_id uuid,\n"
                      "    note text, code text);\n")
    plan = make_plan_dir({"operations": [
        {"op": "add_foreign_key", "table": "children", "columns": ["parent_id"],
         "ref_table": "parents", "ref_columns": ["id"]},
        {"op": "set_not_null", "table": "children", "column": "note"},
        {"op": "add_unique_constraint", "table": "children", "columns": ["code"]}]},
        tmp_path / "plan", schema)
    report = verify_plan_dir(plan, str(schema), server_url=pg_server_url, rows=60, write=False)
    assert report.ok, report.summary


def test_an_index_rebuilt_from_another_spelling_is_the_same_index(tmp_path, pg_server_url):
    schema = tmp_path / "schema.sql"
    schema.write_text("CREATE TABLE users (id bigint PRIMARY KEY,\n"
                      "    display_name character varying(40) NOT NULL);\n"
                      "CREATE INDEX users_canonical ON users\n"
                      "    USING btree (lower(NORMALIZE(display_name, NFKC)));\n")
    plan = make_plan_dir({"operations": [{"op": "rename_column", "table": "users",
                                          "column": "display_name", "new_name": "name"}]},
                         tmp_path / "plan", schema)
    report = verify_plan_dir(plan, str(schema), server_url=pg_server_url, rows=40, write=False)
    assert report.ok, report.summary


def test_a_plan_giving_a_view_back_to_its_owner_runs_as_the_shadows_role():
    """Sakila's views belong to postgres; a plan that re-creates one gives it back (ALTER TABLE
    film_list OWNER TO postgres), which the shadow database's unprivileged role may not: on the
    shadow the object goes to the role running the plan. Nothing else is touched."""
    from migsmith.tools.proving.shadow.pg_owner import owned_by_runner

    sql = ("CREATE VIEW v AS SELECT 'OWNER TO x' AS note;\n"
           "ALTER TABLE v OWNER TO postgres;\n"
           'ALTER VIEW "v" OWNER TO "Some ""Role""";\n'
           "COMMENT ON VIEW v IS 'then OWNER TO nobody';\n")
    assert owned_by_runner(sql) == (
        "CREATE VIEW v AS SELECT 'OWNER TO x' AS note;\n"
        "ALTER TABLE v OWNER TO CURRENT_USER;\n"
        'ALTER VIEW "v" OWNER TO CURRENT_USER;\n'
        "COMMENT ON VIEW v IS 'then OWNER TO nobody';\n")
