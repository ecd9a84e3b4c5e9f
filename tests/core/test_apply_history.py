"""`migsmith apply` keeps its place in the target database (migsmith_history) and refuses, with
one clear line each, a step whose predecessor has not run, a file changed since it ran, and a
step past a deploy point; `migsmith status` after each says where the plan stands. PostgreSQL,
MariaDB and SQLite. (SQLite plans have no deploy points: SQLite is embedded, so its breaking
steps say so instead of waiting for a deploy.)"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from migsmith.tools.planning.planner import build_plan
from migsmith.tools.planning.writer import write_plan
from migsmith.tools.schema import load_schema
from migsmith.tools.spec.changespec import parse_spec

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = {"postgres": "schema.sql", "mysql": "schema_mysql.sql", "sqlite": "schema_sqlite.sql"}


def run(*args):
    return subprocess.run([sys.executable, "-m", "migsmith", *args], capture_output=True,
                          text=True, cwd=ROOT)


def refused(res, text: str) -> None:
    assert res.returncode == 1, res.stdout + res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and text in lines[0], res.stderr


def status(plan_dir, url) -> dict:
    res = run("status", str(plan_dir), "--db", url, "--json")
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


def make_plan(tmp_path, spec: str, dialect: str) -> Path:
    data = json.loads((ROOT / "evals" / "specs" / spec).read_text())
    data.setdefault("options", {})["dialect"] = dialect
    schema = load_schema(str(ROOT / "examples" / SCHEMAS[dialect]), dialect)
    out = tmp_path / "plan"
    write_plan(build_plan(parse_spec(json.dumps(data)), schema), out)
    return out


def loaded(server, dialect):
    """A database on ``server`` with the example schema and sample rows."""
    db_cm = server.database("apply")
    db = db_cm.__enter__()
    session = server.session(db)
    session.load((ROOT / "examples" / SCHEMAS[dialect]).read_text(), SCHEMAS[dialect])
    session.seed(session.start_schema(), 30)
    session.close()
    return db, db_cm


@pytest.fixture()
def target(request, tmp_path):
    dialect = request.param
    if dialect == "postgres":
        from migsmith.tools.proving.shadow.postgres import PostgresShadow

        server = PostgresShadow(request.getfixturevalue("pg_server_url"))
    elif dialect == "mysql":
        from migsmith.tools.proving.shadow.mysql import MySQLShadow

        server = MySQLShadow(request.getfixturevalue("mariadb_server_url"))
    else:
        from migsmith.tools.proving.shadow.sqlite import SqliteShadow

        server = SqliteShadow()
    db, cm = loaded(server, dialect)
    url = db.url
    if dialect == "postgres":  # the URL a user gives: postgresql://user@/name?host=...
        from psycopg.conninfo import conninfo_to_dict

        d = conninfo_to_dict(db.url)
        url = f"postgresql://{d['user']}@/{d['dbname']}?host={d['host']}"
    try:
        yield dialect, url
    finally:
        cm.__exit__(None, None, None)
        server.close()


@pytest.mark.parametrize("target", ["postgres", pytest.param("mysql", marks=pytest.mark.mariadb)],
                         indirect=True)
def test_apply_keeps_its_place_and_stops_at_the_deploy_point(target, tmp_path):
    dialect, url = target
    plan = make_plan(tmp_path, "doc_rename_created.json", dialect)
    steps = json.loads((plan / "plan.json").read_text())["steps"]
    deploy = next(s["number"] for s in steps if s["deploy_note"].startswith("Before:"))

    refused(run("apply", str(plan), "--db", url, "--steps", "2"), "step 1 has not run yet")
    assert status(plan, url)["summary"].endswith(f"0 of {len(steps)} steps applied; next: step 1")

    res = run("apply", str(plan), "--db", url)
    assert res.returncode == 0, res.stderr
    assert f"stopped before step {deploy}" in res.stderr and "--through-deploy" in res.stderr
    st = status(plan, url)
    assert st["applied"] == deploy - 1 and st["next"] == deploy
    assert st["steps"][deploy - 1]["state"] == "next: waits for a code deploy"
    assert all(r["applied_by"] and r["duration_ms"] is not None for r in st["steps"][:deploy - 1])

    first = plan / steps[0]["up_file"]
    original = first.read_text()
    first.write_text(original + "-- edited after it ran\n")
    refused(run("apply", str(plan), "--db", url, "--through-deploy"), "changed since it ran")
    assert status(plan, url)["steps"][0]["state"] == "changed since applied"
    first.write_text(original)

    res = run("apply", str(plan), "--db", url, "--through-deploy")
    assert res.returncode == 0, res.stderr
    assert status(plan, url)["summary"].endswith("complete")
    refused(run("apply", str(plan), "--db", url, "--down", "--steps", "1"),
            f"step {len(steps)} is still applied")
    res = run("apply", str(plan), "--db", url, "--down")
    assert res.returncode == 0, res.stderr
    assert status(plan, url)["applied"] == 0


@pytest.mark.parametrize("target", ["sqlite"], indirect=True)
def test_apply_keeps_its_place_on_sqlite(target, tmp_path):
    dialect, url = target
    plan = make_plan(tmp_path, "doc_add_email_verified_sqlite.json", dialect)
    steps = json.loads((plan / "plan.json").read_text())["steps"]
    refused(run("apply", str(plan), "--db", url, "--steps", "3"), "step 2 has not run yet")
    assert status(plan, url)["applied"] == 0
    res = run("apply", str(plan), "--db", url, "--steps", "1")
    assert res.returncode == 0, res.stderr
    assert status(plan, url)["next"] == 2
    second = plan / steps[1]["up_file"]
    res = run("apply", str(plan), "--db", url)
    assert res.returncode == 0, res.stderr
    second.write_text(second.read_text() + "-- edited after it ran\n")
    refused(run("apply", str(plan), "--db", url, "--down"), "changed since it ran")
    assert status(plan, url)["steps"][1]["state"] == "changed since applied"
