"""`migsmith apply` runs a plan's steps on a real PostgreSQL, and rolls them back."""

import subprocess
import sys
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]


def run(*args):
    return subprocess.run([sys.executable, "-m", "migsmith", *args], capture_output=True,
                          text=True, cwd=ROOT)


def columns(url, table):
    with psycopg.connect(url) as c:
        return {r[0] for r in c.execute(
            "select column_name from information_schema.columns where table_name = %s", (table,))}


def test_apply_up_and_down(tmp_path, pg_url):
    with psycopg.connect(pg_url, autocommit=True) as c:
        c.execute((ROOT / "examples" / "schema.sql").read_text())
        c.execute("insert into orgs(name) values ('a'); insert into users(org_id, email) "
                  "select 1, 'u' || g from generate_series(1, 50) g;"
                  "insert into posts(user_id, title) select 1 + g % 50, 't' from "
                  "generate_series(1, 100) g")
    out = tmp_path / "plan"
    res = run("plan", "--spec", str(ROOT / "evals/specs/doc_rename_created.json"), "--schema",
              str(ROOT / "examples/schema.sql"), "--out", str(out), "--no-verify")
    assert res.returncode == 0, res.stderr
    res = run("apply", str(out), "--db", pg_url, "--steps", "1-2")
    assert res.returncode == 0, res.stderr
    assert {"created", "created_at"} <= columns(pg_url, "posts")
    with psycopg.connect(pg_url) as c:
        assert c.execute("select count(*) from posts where created_at is distinct from created"
                         ).fetchone()[0] == 0
    res = run("apply", str(out), "--db", pg_url, "--steps", "1-2", "--down")
    assert res.returncode == 0, res.stderr
    assert "created_at" not in columns(pg_url, "posts")


def test_apply_rejects_bad_step_range(tmp_path):
    out = tmp_path / "plan"
    run("plan", "--spec", str(ROOT / "evals/specs/doc_users_email_index.json"), "--schema",
        str(ROOT / "examples/schema.sql"), "--out", str(out), "--no-verify")
    res = run("apply", str(out), "--db", "postgresql://nowhere/x", "--steps", "7")
    assert res.returncode == 1 and "no step 7" in res.stderr
