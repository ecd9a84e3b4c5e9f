"""Issue 10, defects 8 and 10: every bad input ends in one line, exit 1 (2 for usage), and
nothing written; the small ones: --target-version banana, an unknown type, an unreachable
--shadow-server, --steps 5-2, MIGSMITH_SHADOW_DIR's parent modes, "Users" written as "Users"."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_helpers import ROOT, SCHEMA, assert_refused, make_plan, run, write_spec

OK_SPEC = {"operations": [{"op": "add_index", "table": "users", "columns": ["email"]}]}


def _deep_json(depth: int = 200_000) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("content,says", [
    (b"\xff\xfe{\"operations\": []}", "not UTF-8"),
    (b'{"operations": [{"op": "add_index", "table": "users", "columns": ["\xe9"]}]}', "not UTF-8"),
    (_deep_json().encode(), "nested too deeply"),
    (('{"operations": ' + _deep_json(5000) + "}").encode(), "nested too deeply"),
])
def test_unreadable_specs(tmp_path, content, says):
    spec = tmp_path / "spec.json"
    spec.write_bytes(content)
    out = tmp_path / "plan"
    assert_refused(run("plan", "--spec", spec, "--schema", SCHEMA, "--out", out, "--no-verify"),
                   says=says, out=out)


def test_unreadable_plan_and_step_files(tmp_path, pg_url):
    plan_dir = make_plan(OK_SPEC, tmp_path / "plan")
    up = next(plan_dir.glob("001_*.up.sql"))
    up.write_bytes(b"-- \xff\xfe\n" + up.read_bytes())
    assert_refused(run("verify", plan_dir, "--schema", SCHEMA), says="not UTF-8")
    assert_refused(run("apply", plan_dir, "--db", pg_url), says="not UTF-8")
    (plan_dir / "plan.json").write_text(_deep_json())
    for args in (["verify", plan_dir, "--schema", SCHEMA], ["apply", plan_dir, "--db", pg_url],
                 ["backfill", plan_dir, "--db", pg_url]):
        assert_refused(run(*args), says="plan")


@pytest.fixture()
def read_only_dir(tmp_path):
    """A read-only file system (a tmpfs mounted ro, as root); skipped where that cannot be."""
    target = tmp_path / "ro"
    target.mkdir()
    res = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(target)],
                         capture_output=True)
    if res.returncode != 0:
        pytest.skip("cannot mount a read-only file system here")
    try:
        yield target
    finally:
        subprocess.run(["umount", str(target)], capture_output=True)


@pytest.mark.parametrize("where", ["a file", "under a file", "in /proc", "in /sys",
                                   "read-only"])
def test_out_that_cannot_take_a_plan(tmp_path, where, request):
    spec = write_spec(tmp_path, OK_SPEC)
    afile = tmp_path / "afile"
    afile.write_text("x")
    out = {"a file": afile, "under a file": afile / "sub", "in /proc": Path("/proc/migsmith"),
           "in /sys": Path("/sys/migsmith")}.get(where)
    if where == "read-only":
        out = request.getfixturevalue("read_only_dir") / "plan"
    for verify in (["--no-verify"], []):
        res = run("plan", "--spec", spec, "--schema", SCHEMA, "--out", out, *verify)
        assert_refused(res, says="cannot write the plan")
    assert afile.read_text() == "x"


@pytest.mark.parametrize("markup", ["[/]", "[bold]x[/bold]", "[red", "[/]]]"])
def test_rich_markup_in_user_text_is_printed_as_text(tmp_path, markup):
    """Defect 8: ``[/]`` in a description, a check or a path ended in a rich MarkupError,
    three times after the files were written."""
    out = tmp_path / f"plan{markup}"
    spec = write_spec(tmp_path, {"description": f"why {markup}", "operations": [
        {"op": "add_check_constraint", "table": "posts",
         "expression": f"title <> '{markup}'"}]})
    res = run("plan", "--spec", spec, "--schema", SCHEMA, "--out", out, "--no-verify")
    assert res.returncode == 0, res.stderr
    assert f"why {markup}" in res.stdout and "Traceback" not in res.stderr
    bad = write_spec(tmp_path, {"operations": [{"op": "add_index", "table": f"us{markup}",
                                                "columns": ["email"]}]}, name="bad.json")
    assert_refused(run("plan", "--spec", bad, "--schema", SCHEMA, "--out", tmp_path / "x",
                       "--no-verify"), says=markup)
    missing = tmp_path / f"missing{markup}.json"
    assert_refused(run("plan", "--spec", missing, "--schema", SCHEMA, "--no-verify"),
                   says=str(missing))


@pytest.mark.parametrize("dialect,expression", [
    ("mysql", "'unterminated"), ("sqlite", "'unterminated"), ("mysql", "x`y"),
    ("sqlite", 'lower("x)'),
])
def test_tokenizer_errors_through_the_cli(tmp_path, dialect, expression):
    schema = ROOT / "examples" / f"schema_{dialect}.sql"
    spec = write_spec(tmp_path, {"operations": [{"op": "set_default", "table": "users",
                                                 "column": "name", "default": expression}],
                                 "options": {"dialect": dialect}})
    out = tmp_path / "plan"
    assert_refused(run("plan", "--spec", spec, "--schema", schema, "--out", out, "--no-verify"),
                   says="does not parse", out=out)


@pytest.mark.parametrize("args,code,says", [
    (["--target-version", "banana"], 1, "not a version number"),
    (["--target-version", "14; drop"], 1, "not a version number"),
    (["--dialect", "oracle"], 2, "unknown dialect"),
    (["--nope"], 2, "unrecognized arguments"),
    ([], 1, None),
])
def test_bad_options_in_one_line(tmp_path, args, code, says):
    out = tmp_path / "plan"
    spec = write_spec(tmp_path, OK_SPEC)
    if not args:  # no schema at all: usage
        res = run("plan", "--spec", spec, "--out", out)
        assert_refused(res, code=2, out=out)
        return
    assert_refused(run("plan", "--spec", spec, "--schema", SCHEMA, "--out", out, "--no-verify",
                       *args), code=code, says=says, out=out)


def test_an_unknown_type_writes_nothing(tmp_path):
    """Defect 10: type ``notatype_zz`` was accepted. Verification (the default) proves it does
    not exist; the failed plan leaves no directory."""
    out = tmp_path / "plan"
    spec = write_spec(tmp_path, {"operations": [{"op": "add_column", "table": "users", "column": {
        "name": "x", "type": "notatype_zz"}}]})
    res = run("plan", "--spec", spec, "--schema", SCHEMA, "--out", out)
    assert_refused(res, says="notatype_zz", out=out)


def test_a_failed_plan_is_kept_only_when_asked_and_then_marked(tmp_path):
    out = tmp_path / "plan"
    spec = write_spec(tmp_path, {"operations": [{"op": "add_column", "table": "users", "column": {
        "name": "x", "type": "notatype_zz"}}]})
    res = run("plan", "--spec", spec, "--schema", SCHEMA, "--out", out, "--keep-unverified")
    assert res.returncode == 1
    assert "UNVERIFIED: do not apply" in (out / "PLAN.md").read_text()
    assert json.loads((out / "plan.json").read_text())["verification"]["ok"] is False


def test_eval_with_an_unreachable_shadow_server_fails(tmp_path):
    """Defect 10: ``eval --verify --shadow-server <unreachable>`` exited 0."""
    res = run("eval", "--verify", "--shadow-server", "postgresql://me:pw@127.0.0.1:1/x",
              "--only", "pg-seed-avatar-backfill")
    assert_refused(res, says="cannot connect")
    assert "pw@" not in res.stderr


def test_apply_refuses_steps_that_run_backwards(tmp_path, pg_url):
    """Defect 10: ``--steps 5-2`` did nothing and exited 0."""
    plan_dir = make_plan({"operations": [{"op": "rename_column", "table": "posts",
                                          "column": "created", "new_name": "created_at"}]},
                         tmp_path / "plan")
    assert_refused(run("apply", plan_dir, "--db", pg_url, "--steps", "5-2"), says="backwards")


def test_the_spelling_of_an_existing_table_is_the_schemas(tmp_path):
    """Defect 10: ``"table": "Users"`` matched users but was written as "Users"."""
    plan_dir = make_plan({"operations": [{"op": "add_index", "table": "Users",
                                          "columns": ["EMAIL"]}]}, tmp_path / "plan")
    text = next(plan_dir.glob("001_*.up.sql")).read_text()
    assert '"users"' in text and '"Users"' not in text and '"email"' in text


@pytest.mark.skipif(os.geteuid() != 0, reason="the server's system user exists only as root")
def test_shadow_dir_parents_keep_their_modes(tmp_path):
    """Defect 10: MIGSMITH_SHADOW_DIR changed a parent directory's mode (o+x for the server's
    user). Now a directory the server's user cannot reach is refused in one line instead."""
    parent = tmp_path / "private"
    parent.mkdir(mode=0o700)
    shadow_dir = parent / "shadows"
    shadow_dir.mkdir(mode=0o755)
    before = {p: stat.S_IMODE(p.stat().st_mode) for p in (tmp_path, parent, shadow_dir)}
    plan_dir = make_plan(OK_SPEC, tmp_path / "plan")
    res = run("verify", plan_dir, "--schema", SCHEMA, env={"MIGSMITH_SHADOW_DIR": str(shadow_dir)})
    after = {p: stat.S_IMODE(p.stat().st_mode) for p in before}
    assert after == before
    assert_refused(res, says="MIGSMITH_SHADOW_DIR")
    assert list(shadow_dir.iterdir()) == []


def test_psycopg_is_imported_before_any_thread_connects(tmp_path, pg_server_url):
    """Defect 8: the psycopg import race (``cannot import name 'conninfo_attempts' from
    partially initialized module``, 4 of 68 runs of verify --shadow-db): verify imports psycopg
    in its own thread before it starts the thread that opens the shadow."""
    plan_dir = make_plan(OK_SPEC, tmp_path / "plan")
    probe = f"""
import sys, threading
start = threading.Thread.start
seen = []
def watched(self):
    seen.append("psycopg" in sys.modules and "psycopg.conninfo" in sys.modules)
    return start(self)
threading.Thread.start = watched
from migsmith.tools.proving.verify import verify_plan_dir
assert "psycopg" not in sys.modules, "imported too early to tell"
report = verify_plan_dir({str(plan_dir)!r}, {str(SCHEMA)!r}, server_url={pg_server_url!r},
                         rows=10, write=False)
assert report.ok, report.summary
assert seen and all(seen), seen
"""
    res = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         timeout=120)
    assert res.returncode == 0, res.stderr[-2000:]
