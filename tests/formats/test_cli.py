"""`migsmith plan --format` and `--detect` from the command line, numbering after what a
folder already holds, and bad input: a step a format cannot carry is named, with why and how
to do it by hand, and nothing is written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from migsmith.tools.formats import base, get_format

from . import harness

ROOT = Path(__file__).resolve().parents[2]
SPEC = str(ROOT / "evals/specs/doc_rename_created.json")
SCHEMA = str(ROOT / "examples/schema.sql")


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "migsmith", *args], capture_output=True,
                          text=True, cwd=cwd)


def tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def test_format_writes_tool_files_and_the_plain_plan_beside_them(tmp_path):
    out, plan_dir = tmp_path / "db" / "migrations", tmp_path / "migsmith" / "rename"
    out.mkdir(parents=True)
    (out / "20200101000000_init.sql").write_text("-- migrate:up\n-- migrate:down\n")
    res = run("plan", "--spec", SPEC, "--schema", SCHEMA, "--format", "dbmate", "--out",
              str(out), "--plan-dir", str(plan_dir), "--no-verify", "--json")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    files = [f for m in data["format"]["migrations"] for f in m["files"]]
    assert all((out / f).is_file() for f in files)
    assert min(files) > "20200101000000_init.sql"  # numbered after the newest one there
    assert (plan_dir / "plan.json").is_file()
    plan_md = (plan_dir / "PLAN.md").read_text()
    assert "## Running it with dbmate" in plan_md and "migsmith backfill --db URL" in plan_md
    assert "Deploy point before step 7" in plan_md


def test_detect_picks_tool_folder_and_number(tmp_path):
    repo = tmp_path / "repo"
    (repo / "db" / "migrate").mkdir(parents=True)
    (repo / "Gemfile").write_text("gem 'rails'\n")
    (repo / "db" / "migrate" / "20240101000000_create_users.rb").write_text("")
    res = run("plan", "--spec", SPEC, "--schema", SCHEMA, "--detect", "--repo", str(repo),
              "--plan-dir", str(tmp_path / "plan"), "--no-verify")
    assert res.returncode == 0, res.stderr
    assert "detected rails" in res.stderr and "folder db/migrate" in res.stderr
    new = sorted(tree(repo / "db" / "migrate"))
    assert len(new) == 1 + 8 and new[0] == "20240101000000_create_users.rb"
    assert all(n > "20240101000000" for n in new[1:])


@pytest.mark.parametrize("tool,sql,needle", [
    ("flyway", "'${user}'", "${"),
    ("dbmate", "'\n-- migrate:down\n'", "-- migrate:"),
])
def test_a_step_a_format_cannot_carry_is_refused_and_nothing_written(tool, sql, needle,
                                                                      tmp_path):
    spec = {"name": "add_note", "operations": [
        {"op": "add_column", "table": "users",
         "column": {"name": "note", "type": "text", "default": sql}}]}
    spec_file = tmp_path / "spec.json"
    spec_file.write_text(json.dumps(spec))
    out = tmp_path / "out"
    res = run("plan", "--spec", str(spec_file), "--schema", SCHEMA, "--format", tool, "--out",
              str(out), "--plan-dir", str(tmp_path / "plan"), "--no-verify")
    assert res.returncode == 1, res.stdout + res.stderr
    line = res.stderr.strip()
    assert len(line.splitlines()) == 1
    assert "step 1" in line and repr(needle) in line and "by hand" in line
    assert not out.exists() and not (tmp_path / "plan").exists()


def test_folder_states_that_cannot_take_a_plan_are_refused(tmp_path):
    plan, _ = harness.make_plan("users_email_index", "postgres")
    heads = {"a_x.py": "revision = 'a'\ndown_revision = None\n",
             "b_x.py": "revision = 'b'\ndown_revision = 'a'\n",
             "c_x.py": "revision = 'c'\ndown_revision = 'a'\n"}
    with pytest.raises(base.FormatError, match="2 heads"):
        get_format("alembic").render(plan, base.Target(path="versions", files=heads))
    sqitch = get_format("sqitch")
    first = sqitch.render(plan, base.Target(path="s", now=harness.NOW))
    with pytest.raises(base.FormatError, match="already in"):
        sqitch.render(plan, base.Target(path="s", files={"sqitch.plan": first.files["sqitch.plan"]}))
    with pytest.raises(base.FormatError, match="not an app's migrations folder"):
        get_format("django").render(plan, base.Target(path="x"))


def test_numbering_follows_the_folder():
    from migsmith.tools.formats.base import next_versions

    assert next_versions(["000158", "000157"], 2, harness.NOW) == ["000159", "000160"]
    assert next_versions(["20990101000000"], 2, harness.NOW) == ["20990101000001",
                                                                  "20990101000002"]
    assert next_versions(["20200101000000"], 1, harness.NOW) == ["20300102030405"]
    assert next_versions([], 1, harness.NOW) == ["20300102030405"]
    assert next_versions(["0011"], 1, harness.NOW, default="sequence") == ["0012"]
    plan, _ = harness.make_plan("users_email_index", "postgres")
    flyway = get_format("flyway").render(plan, base.Target(path="m", files={
        "V267__x.sql": "", "V80__y.SQL": "", "R__views.sql": ""}))
    assert flyway.migrations[0].files[0].startswith("V268__")
