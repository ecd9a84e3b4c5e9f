"""`migsmith plan` with bad input: one clear line, exit 1, nothing written."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "migsmith", *args], capture_output=True,
                          text=True, cwd=cwd or ROOT)


def write(tmp_path, name, data):
    p = tmp_path / name
    p.write_text(data if isinstance(data, str) else json.dumps(data))
    return p


SCHEMA = str(ROOT / "examples" / "schema.sql")


@pytest.mark.parametrize("spec,message", [
    ("{not json", "malformed JSON at line 1"),
    ({"operations": [{"op": "teleport", "table": "users"}]}, "unknown op 'teleport'"),
    ({"operations": [{"op": "add_index", "table": "userz", "columns": ["email"]}]},
     "unknown table 'userz'"),
    ({"operations": [{"op": "add_index", "table": "users", "columns": ["emial"]}]},
     "did you mean 'email'"),
    ({"operations": [{"op": "add_column", "table": "x; DROP TABLE y",
                      "column": {"name": "a", "type": "int"}}]}, "unsafe table name"),
])
def test_bad_spec(tmp_path, spec, message):
    out = tmp_path / "plan"
    res = run("plan", "--spec", str(write(tmp_path, "spec.json", spec)), "--schema", SCHEMA,
              "--out", str(out), "--no-verify")
    assert res.returncode == 1, res.stderr
    assert message in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_existing_output_is_never_overwritten(tmp_path):
    spec = write(tmp_path, "spec.json", {"operations": [
        {"op": "add_index", "table": "users", "columns": ["email"]}]})
    out = tmp_path / "plan"
    first = run("plan", "--spec", str(spec), "--schema", SCHEMA, "--out", str(out), "--no-verify")
    assert first.returncode == 0, first.stderr
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    second = run("plan", "--spec", str(spec), "--schema", SCHEMA, "--out", str(out), "--no-verify")
    assert second.returncode == 1 and "refusing to overwrite" in second.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_json_output_lists_steps_in_apply_order(tmp_path):
    spec = str(ROOT / "evals" / "specs" / "doc_rename_created.json")
    res = run("plan", "--spec", spec, "--schema", SCHEMA, "--out", str(tmp_path / "p"),
              "--json", "--no-verify")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["strategy"] == "expand_contract"
    numbers = [s["number"] for s in data["steps"]]
    assert numbers == sorted(numbers)
    for s in data["steps"]:
        assert Path(s["up"]).is_file() and Path(s["down"]).is_file()
        assert isinstance(s["transactional"], bool) and s["deploy_note"] is not None
    assert data["impact"][0]["classification"] == "breaking"


def test_usage_error_exit_code(tmp_path):
    res = run("plan", "--schema", SCHEMA)
    assert res.returncode == 2
