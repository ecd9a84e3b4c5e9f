"""Real applications' schema features, on fixtures written for these tests in the shape that
pg_dump, mysqldump and real SQLite schemas have (tests/fixtures/realworld/): they load,
their model says what planning needs, and plans on them verify with the default settings.
Bad input (a statement the server refuses, a missing extension, a table that cannot be
seeded) gets one line with the exact cause."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from migsmith.tools.schema import load_ddl, load_schema

from verify_helpers import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "realworld"
PG = FIXTURES / "pg_dump_style.sql"
MYSQL = FIXTURES / "mysql_dump_style.sql"
SQLITE = FIXTURES / "sqlite_style.sql"


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "migsmith", *args], capture_output=True,
                          text=True, cwd=ROOT, env={**os.environ, **(env or {})}, timeout=300)


def spec_file(tmp_path: Path, ops: list[dict], name: str = "spec.json", **options) -> Path:
    p = tmp_path / name
    p.write_text(json.dumps({"operations": ops, "options": options} if options
                            else {"operations": ops}))
    return p


# ---------------------------------------------------------------------- PostgreSQL
def test_pg_dump_file_models_what_planning_needs():
    s = load_ddl(PG.read_text(), "postgres", source=str(PG))
    assert s.tables["orders"].partitioning.strategy == "range"
    assert s.tables["orders"].partitioning.key == ["placed_at"]
    assert s.tables["orders_2024"].partition_of == "orders"  # ATTACH PARTITION
    assert s.tables["orders_2025"].partition_bound.startswith("FOR VALUES FROM (")
    assert [c.name for c in s.tables["orders_2025"].columns][:2] == ["id", "account_id"]
    assert s.tables["shipments_other"].partition_bound == "DEFAULT"
    assert s.tables["order_totals"].kind == "materialized_view"
    assert s.tables["order_totals"].index_named("index_order_totals_on_account").unique
    assert [v.name for v in s.views_using("accounts", "email")] == ["active_accounts"]
    assert [v.name for v in s.views_using("orders", "total")] == ["order_totals"]
    assert s.views_using("accounts", "profile") == []
    trig = s.tables["teams"].triggers[0]
    assert (trig.name, trig.timing, trig.events, trig.function) == (
        "teams_audit", "after", ["insert"], "audit_insert")
    assert "INSERT INTO public.audit_log" in s.functions["audit_insert()"].body
    idx = {i.name: i for i in s.tables["accounts"].indexes}
    updated = idx["index_accounts_on_updated"]
    assert (updated.keys[0].descending, updated.keys[0].nulls, updated.include) == (
        True, "last", ["state"])
    assert idx["index_accounts_on_handle_trgm"].keys[0].opclass == "gin_trgm_ops"
    assert idx["index_accounts_on_handle_c"].keys[0].collation == "C"
    assert idx["index_accounts_on_handle_live"].where == "deleted_at IS NULL"
    assert idx["index_accounts_on_lower_email"].keys[0].expression.startswith("lower(")
    assert s.tables["accounts"].column("full_handle").generated
    assert s.types["order_state"].labels == ["new", "paid", "shipped"]
    assert s.types["year"].kind == "domain" and s.types["year"].base_type == "integer"
    assert s.sequences["teams_id_seq"].owned_by == "teams.id"
    assert set(s.extensions) == {"pg_trgm", "btree_gin"}
    assert any(o.kind == "COMMENT ON" for o in s.opaque)
    assert not s.unresolved


def test_pg_dump_file_catalog_model_matches_the_file(pg_url):
    """The shadow's catalog, read back, agrees with the file on every index feature."""
    import psycopg

    from migsmith.tools.proving.shadow.postgres import load_script
    from migsmith.tools.schema.live_postgres import read_catalog, schema_from_catalog

    text = PG.read_text()
    with psycopg.connect(pg_url, autocommit=True) as conn:
        have = {r[0] for r in conn.execute("SELECT name FROM pg_available_extensions")}
        if not {"pg_trgm", "btree_gin"} <= have:
            text = text.replace("public.gin_trgm_ops", "text_pattern_ops").replace(
                "USING gin (handle", "USING btree (handle").replace(
                "USING gin (owner_team_id, state)", "USING btree (owner_team_id, state)")
            text = "\n".join(line for line in text.splitlines()
                             if not line.startswith("CREATE EXTENSION"))
        load_script(conn, text, "pg_dump_style.sql")
        # search_path was reset after the load, so counting unqualified works again
        catalog = schema_from_catalog(read_catalog(conn), conn)
    file = load_ddl(text, "postgres")
    for name, t in file.tables.items():
        got = catalog.tables[name]
        assert got.kind == t.kind, name
        assert got.partition_of == t.partition_of, name
        for idx in t.indexes:
            back = got.index_named(idx.name)
            assert back is not None, (name, idx.name)
            if idx.keys:
                assert [(k.descending, k.nulls, k.opclass, k.collation) for k in back.keys] == \
                       [(k.descending, k.nulls, k.opclass, k.collation) for k in idx.keys], idx.name
                assert back.include == idx.include
    assert catalog.tables["settings"].row_estimate == 2
    assert {(u.table, u.column) for u in catalog.tables["active_accounts"].depends_on} >= {
        ("accounts", "email"), ("teams", "name")}
    assert catalog.tables["teams"].triggers[0].function == "audit_insert"


@pytest.mark.parametrize("ops", [
    [{"op": "add_column", "table": "accounts", "column": {"name": "nickname", "type": "text"}}],
    [{"op": "add_index", "table": "accounts", "columns": ["born"]}],
    pytest.param([{"op": "rename_column", "table": "accounts", "column": "handle",
                   "new_name": "login"}], marks=pytest.mark.xfail(
        strict=True, reason="refused: the generated column full_handle computes from handle, "
                            "and PostgreSQL cannot point it at another column online")),
    # a uuid key and a "touch updated_at" trigger: the batches walk the uuid, a guard keeps
    # updated_at (issue 12)
    [{"op": "rename_column", "table": "accounts", "column": "last_ip", "new_name": "client_ip"}],
    [{"op": "add_column", "table": "orders", "column": {
        "name": "note", "type": "text", "nullable": False, "default": "''"}}],
], ids=["add_column", "add_index", "rename_indexed_column", "rename_uuid_keyed_touched",
        "add_column_partitioned"])
def test_pg_dump_file_plans_verify_with_the_default_settings(tmp_path, ops):
    out = tmp_path / "plan"
    done = run("plan", "--spec", str(spec_file(tmp_path, ops)), "--schema", str(PG),
               "--out", str(out), "--json")
    data = json.loads(done.stdout) if done.stdout.strip().startswith("{") else {}
    verification = data.get("verification") or {}
    assert done.returncode == 0, (done.stderr[-800:], verification.get("summary"))
    assert verification["ok"], verification
    assert not [n for n in verification["notes"] if "left empty" in n], verification["notes"]
    assert verification["server"]  # the report says which server proved it


def test_statement_the_server_refuses_is_one_line_and_nothing_is_written(tmp_path):
    schema = tmp_path / "schema.sql"
    schema.write_text("CREATE TABLE a (id int PRIMARY KEY);\n\n"
                      "CREATE TABLE b (id int, a_id int REFERENCES nowhere (id));\n")
    out = tmp_path / "plan"
    done = run("plan", "--spec", str(spec_file(tmp_path, [{"op": "add_column", "table": "a",
               "column": {"name": "x", "type": "text"}}])), "--schema", str(schema),
               "--out", str(out))
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert "schema.sql:3:" in lines[0] and 'relation "nowhere" does not exist' in lines[0]
    assert "CREATE TABLE b" in lines[0]
    assert not out.exists()


def test_missing_extension_is_one_line_naming_it_and_nothing_is_written(tmp_path):
    schema = tmp_path / "schema.sql"
    schema.write_text("CREATE EXTENSION IF NOT EXISTS no_such_extension;\n"
                      "CREATE TABLE a (id int PRIMARY KEY);\n")
    out = tmp_path / "plan"
    done = run("plan", "--spec", str(spec_file(tmp_path, [{"op": "add_column", "table": "a",
               "column": {"name": "x", "type": "text"}}])), "--schema", str(schema),
               "--out", str(out), env={"MIGSMITH_NO_DOWNLOAD": "1"})
    assert done.returncode == 1
    assert "needs extension 'no_such_extension'" in done.stderr
    assert "--shadow-db" in done.stderr
    assert not out.exists()


def test_table_that_cannot_be_seeded_is_left_empty_and_named(tmp_path, pg_server_url):
    from migsmith.tools.planning.planner import build_plan
    from migsmith.tools.planning.writer import write_plan
    from migsmith.tools.proving.verify import verify_plan_dir
    from migsmith.tools.spec.changespec import parse_spec

    schema = tmp_path / "schema.sql"
    schema.write_text("CREATE TYPE pair AS (a int, b int);\n"
                      "CREATE TABLE t (id int PRIMARY KEY, p pair NOT NULL);\n"
                      "CREATE TABLE u (id int PRIMARY KEY, name text);\n")
    spec = parse_spec(json.dumps({"operations": [{"op": "add_column", "table": "u",
                                                  "column": {"name": "x", "type": "text"}}]}))
    write_plan(build_plan(spec, load_schema(str(schema))), tmp_path / "plan")
    report = verify_plan_dir(tmp_path / "plan", str(schema), server_url=pg_server_url,
                             rows=50)
    assert report.ok, report.summary
    assert ("table t left empty: cannot generate values of type pair for t.p "
            "(NOT NULL, no default)") in report.plan.notes


def test_plan_accepts_shadow_db(tmp_path, pg_url):
    schema = tmp_path / "schema.sql"
    schema.write_text("CREATE TABLE a (id int PRIMARY KEY);\n")
    done = run("plan", "--spec", str(spec_file(tmp_path, [{"op": "add_column", "table": "a",
               "column": {"name": "x", "type": "text"}}])), "--schema", str(schema),
               "--out", str(tmp_path / "plan"), "--shadow-db", pg_url, "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["verification"]["ok"]


# ---------------------------------------------------------------------- MySQL / MariaDB
def test_mysql_dump_file_models_routines_triggers_and_views():
    s = load_ddl(MYSQL.read_text(), "mysql", source=str(MYSQL))
    assert {"store", "staff", "item", "item_text"} <= set(s.tables)
    assert s.tables["item_list"].kind == "view"
    assert s.tables["item"].triggers[0].name == "ins_item"
    assert "INSERT INTO item_text" in s.tables["item"].triggers[0].body
    kinds = {o.kind for o in s.opaque}
    assert {"CREATE PROCEDURE", "CREATE FUNCTION", "USE SHOPDB"} <= kinds


def test_mysql_dump_file_verifies(tmp_path, mariadb_server_url):
    from migsmith.tools.planning.planner import build_plan
    from migsmith.tools.planning.writer import write_plan
    from migsmith.tools.proving.verify import verify_plan_dir
    from migsmith.tools.spec.changespec import parse_spec

    spec = parse_spec(json.dumps({"operations": [
        {"op": "add_column", "table": "item", "column": {"name": "x", "type": "text"}}],
        "options": {"dialect": "mysql"}}))
    write_plan(build_plan(spec, load_schema(str(MYSQL), "mysql")), tmp_path / "plan")
    report = verify_plan_dir(tmp_path / "plan", str(MYSQL), server_url=mariadb_server_url,
                             rows=100)
    assert report.ok, report.summary
    assert not [n for n in report.plan.notes if "left empty" in n], report.plan.notes


# ---------------------------------------------------------------------- SQLite
def test_sqlite_file_with_triggers_odd_types_and_rows_loads():
    s = load_ddl(SQLITE.read_text(), "sqlite", source=str(SQLITE))
    assert s.tables["city"].column("notes").type.lower() == "blob sub_type text"
    assert s.tables["city"].triggers[0].name == "city_touch"
    assert s.tables["city_list"].kind == "view"
    assert s.tables["country"].row_estimate == 2


@pytest.mark.parametrize("as_database_file", [False, True], ids=["sql", "db"])
def test_sqlite_schema_verifies_from_sql_and_from_a_database_file(tmp_path, as_database_file):
    schema = SQLITE
    if as_database_file:
        schema = tmp_path / "app.data"  # found by its header, not its name
        conn = sqlite3.connect(schema)
        conn.executescript(SQLITE.read_text())
        conn.close()
    out = tmp_path / "plan"
    done = run("plan", "--spec", str(spec_file(tmp_path, [
        {"op": "add_column", "table": "city", "column": {"name": "x", "type": "text"}}],
        dialect="sqlite")), "--schema", str(schema), "--out", str(out), "--json")
    assert done.returncode == 0, done.stderr[-800:] + done.stdout[-800:]
    verification = json.loads(done.stdout)["verification"]
    assert verification["ok"], verification
    # the file's rows are kept: those of its INSERTs, or the database file's own
    assert any("country (2)" in n for n in verification["notes"]), verification["notes"]
    if as_database_file:
        assert any(n.startswith("the shadow database starts from the") and "rows of" in n
                   for n in verification["notes"]), verification["notes"]
