"""Batched backfills on published schemas (the schema corpus's files, the cases of
evals/corpus/backfill): a composite key and a uuid key
walked to the last row, and an application's "touch last_update" trigger kept from rewriting
that column -- by the step file and by `migsmith backfill`, on Debian's PostgreSQL 15."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

import psycopg
import pytest
from typer.testing import CliRunner

from backfill_helpers import run_sql
from migsmith.cli import app
from migsmith.evals import realworld
from migsmith.tools.planning.planner import build_plan
from migsmith.tools.planning.writer import write_plan
from migsmith.tools.schema import load_schema
from migsmith.tools.spec.changespec import parse_spec

CORPUS = Path(realworld.CORPUS_MANIFESTS) / "backfill"
CASES = [json.loads(line) for line in (CORPUS / "cases.jsonl").read_text().splitlines() if line]
PG15 = "/usr/lib/postgresql/15/bin"


@pytest.fixture(scope="module")
def pg15():
    """Debian's PostgreSQL 15 (contrib, pg_partman): the published schemas need extensions the
    test server (pgserver wheel) lacks."""
    if not os.access(os.path.join(PG15, "initdb"), os.X_OK):
        pytest.skip(f"no PostgreSQL 15 at {PG15}")
    from migsmith.tools.proving.shadow import postgres as shadow

    user = shadow._system_user("postgres") if shadow._is_root() else None
    server = shadow._start_cluster(os.path.join(PG15, "initdb"), os.path.join(PG15, "pg_ctl"), user)
    try:
        yield server.server_url
    finally:
        server.close()


def _schema_file(schema_id: str) -> Path:
    entry = next(e for e in realworld.entries("schemas") if e["id"] == schema_id)
    path = realworld.locate(entry)
    if path is None:
        pytest.skip(f"{entry['repo']}@{entry['commit'][:12]}:{entry['path']} is not on this "
                    "machine (python -m migsmith.evals.realworld extract schemas)")
    return path


@pytest.fixture()
def loaded(pg15, request):
    case = request.param
    ddl = _schema_file(case["schema"]).read_text()
    name = "rs_" + uuid.uuid4().hex[:10]
    with psycopg.connect(pg15, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = pg15.replace("/postgres?", f"/{name}?")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(ddl)  # the file as published, in one go
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET session_replication_role = replica")  # seed without FKs and triggers
        conn.execute(case["seed"])
        conn.execute(f"ANALYZE {case['table']}")
    try:
        yield case, url
    finally:
        with psycopg.connect(pg15, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _check(url: str, case: dict) -> tuple[int, int, int]:
    """(rows filled, rows whose kept columns changed, guard triggers left)."""
    changed = " OR ".join(f"{col} IS DISTINCT FROM '{val}'" for col, val in case["kept"].items())
    with psycopg.connect(url) as conn:
        return conn.execute(
            f"SELECT count(*) FILTER (WHERE {case['filled']}), count(*) FILTER (WHERE {changed}), "
            "(SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'zz%migsmith_keep') "
            f"FROM {case['table']}").fetchone()


def _plan(case: dict, url: str):
    spec = parse_spec({**case["spec"], "options": {"batch_size": 500}})
    return build_plan(spec, load_schema(url, "postgres"))


@pytest.mark.parametrize("loaded", CASES, ids=[c["id"] for c in CASES], indirect=True)
def test_step_file_walks_the_key_and_keeps_what_triggers_would_rewrite(loaded):
    case, url = loaded
    plan = _plan(case, url)
    step = next(s for s in plan.steps if s.backfill)
    for before in plan.steps[:step.number - 1]:
        run_sql(url, before.up_sql)
    # the live schema model knows the table's triggers: the plan names them and guards what
    # a touch trigger would rewrite
    touched = [c for c in case["kept"] if c == "last_update"]
    assert step.backfill.keep_columns == touched
    if touched:
        assert "Trigger: trigger last_updated (BEFORE UPDATE" in step.up_sql
    run_sql(url, step.up_sql)
    assert _check(url, case) == (case["rows"], 0, 0)


@pytest.mark.parametrize("loaded", CASES, ids=[c["id"] for c in CASES], indirect=True)
def test_runner_walks_the_key_and_keeps_what_triggers_would_rewrite(loaded, tmp_path):
    case, url = loaded
    plan = _plan(case, url)
    step = next(s for s in plan.steps if s.backfill)
    for before in plan.steps[:step.number - 1]:
        run_sql(url, before.up_sql)
    write_plan(plan, tmp_path / "plan")
    res = CliRunner().invoke(app, ["backfill", "--db", url, str(tmp_path / "plan"),
                                   "--step", str(step.number), "--workers", "2"])
    assert res.exit_code == 0, res.output
    assert f"{case['rows']} rows updated" in res.output
    if "last_update" in case["kept"]:
        assert "trigger last_updated (BEFORE UPDATE, function last_updated) fires" in res.output
        assert "keeps it as it was" in res.output
    assert _check(url, case) == (case["rows"], 0, 0)
