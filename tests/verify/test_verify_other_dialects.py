"""SQLite and MySQL plans are proven the same way: up, down, up, schema and data compared."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from migsmith.tools.errors import SQLParseError
from migsmith.tools.planning.planner import build_plan
from migsmith.tools.schema import load_schema
from migsmith.tools.proving.shadow.sqlite import split_sqlite
from migsmith.tools.spec.changespec import parse_spec
from migsmith.tools.proving.verify import verify_plan_dir
from migsmith.tools.planning.writer import write_plan
from verify_helpers import ROOT, step_file

SPECS = ROOT / "evals" / "specs"


def _specs(dialect: str) -> list[Path]:
    return [p for p in sorted(SPECS.glob("*.json"))
            if json.loads(p.read_text()).get("options", {}).get("dialect") == dialect]


def _plan(spec: Path | dict, dialect: str, out: Path) -> Path:
    text = spec.read_text() if isinstance(spec, Path) else json.dumps(spec)
    schema = ROOT / "examples" / f"schema_{dialect}.sql"
    write_plan(build_plan(parse_spec(text), load_schema(str(schema), dialect)), out)
    return out


def _problems(report) -> str:
    return "\n".join(p for r in (report.plan, report.alternative) if r for p in r.problems())


@pytest.mark.parametrize("spec", _specs("sqlite"), ids=lambda p: p.stem)
def test_sqlite_spec_plans_verify(spec, tmp_path):
    plan_dir = _plan(spec, "sqlite", tmp_path / "p")
    report = verify_plan_dir(plan_dir, str(ROOT / "examples" / "schema_sqlite.sql"))
    assert report.ok, _problems(report)
    assert "applied up, down and up again on SQLite" in report.summary


def test_sqlite_down_that_leaves_an_index_behind_fails(tmp_path):
    plan_dir = _plan(SPECS / "doc_users_email_index_sqlite.json", "sqlite", tmp_path / "p")
    down = step_file(plan_dir, 1, "down")
    down.write_text("\n".join(line for line in down.read_text().splitlines()
                              if not line.startswith("DROP INDEX")) + "\n")
    report = verify_plan_dir(plan_dir, str(ROOT / "examples" / "schema_sqlite.sql"),
                             write=False)
    assert not report.ok
    assert any("idx_users_email" in d and "left behind" in d for d in report.plan.diff), \
        report.plan.diff


def test_sqlite_statements_are_split_like_the_shell():
    sql = ("-- c\nCREATE TABLE t (a int);\nCREATE TRIGGER tr AFTER INSERT ON t BEGIN\n"
           "  UPDATE t SET a = 1; SELECT ';';\nEND;\nBEGIN; SELECT 1;\n")
    stmts = split_sqlite(sql)
    assert [s.line for s in stmts] == [2, 3, 6, 6]
    assert stmts[1].text.endswith("END;")
    with pytest.raises(SQLParseError, match=r"^x.sql:2:1: incomplete statement"):
        split_sqlite("SELECT 1;\nSELECT 2", file="x.sql")


@pytest.mark.mariadb
@pytest.mark.parametrize("spec", _specs("mysql"), ids=lambda p: p.stem)
def test_mysql_spec_plans_verify(spec, tmp_path, mariadb_server_url):
    plan_dir = _plan(spec, "mysql", tmp_path / "p")
    report = verify_plan_dir(plan_dir, str(ROOT / "examples" / "schema_mysql.sql"),
                             server_url=mariadb_server_url, rows=300, write=False)
    assert report.ok, _problems(report)
    # the test server is MariaDB: the report names it, not "MySQL"
    assert report.plan.server.startswith("MariaDB ") and "on MariaDB " in report.summary
