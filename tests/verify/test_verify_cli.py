"""`migsmith verify` from the command line: results, bad input, and cleaning up after itself
(no server left running, no temp directory left behind, also on SIGTERM)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import pytest

from verify_helpers import OP_SPECS, SCHEMA, make_plan_dir, step_file

pytestmark = pytest.mark.postgres


@pytest.fixture()
def private_tmp():
    """A TMPDIR (and shadow server dir) of our own, so leftovers of *this* run can be counted
    exactly."""
    d = tempfile.mkdtemp(prefix="migsmith-vtest-", dir="/tmp")
    os.chmod(d, 0o755)
    yield Path(d)
    shutil.rmtree(d, ignore_errors=True)


def _servers_under(path: Path) -> list[str]:
    """postgres server processes whose command line names a directory under ``path``."""
    out = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            state = Path(f"/proc/{pid}/stat").read_text().split(") ")[1].split()[0]
        except (OSError, IndexError):
            continue
        if str(path) in cmd and "postgres" in cmd and state != "Z":
            out.append(cmd)
    return out


def _migsmith(args: list[str], tmp: Path, **kw) -> subprocess.CompletedProcess:
    env = dict(os.environ, TMPDIR=str(tmp), MIGSMITH_SHADOW_DIR=str(tmp), COLUMNS="200")
    return subprocess.run([sys.executable, "-m", "migsmith", *args], capture_output=True,
                          text=True, env=env, timeout=120, **kw)


def _assert_clean(tmp: Path) -> None:
    assert list(tmp.iterdir()) == [], "left behind: " + ", ".join(map(str, tmp.iterdir()))
    assert _servers_under(tmp) == [], "still running"


def test_cold_verify_starts_and_stops_its_own_server(tmp_path, private_tmp):
    plan_dir = make_plan_dir(OP_SPECS["add_index"], tmp_path / "p")
    proc = _migsmith(["verify", str(plan_dir), "--schema", str(SCHEMA), "--json",
                      "--rows", "100"], private_tmp)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["ok"] is True
    assert data["statements"] and data["diff"] == []
    _assert_clean(private_tmp)


def test_failed_verification_exits_1_with_the_diff(tmp_path, private_tmp, pg_server_url):
    plan_dir = make_plan_dir(OP_SPECS["add_column"], tmp_path / "p")
    down = step_file(plan_dir, 1, "down")
    down.write_text(down.read_text().replace('DROP COLUMN "last_login_at"', 'DROP COLUMN "name"'))
    proc = _migsmith(["verify", str(plan_dir), "--schema", str(SCHEMA), "--shadow-db",
                      pg_server_url], private_tmp)
    assert proc.returncode == 1
    assert "users: column last_login_at: exists after the down steps, not at the start" in \
        proc.stdout
    assert "verification failed" in proc.stdout


def test_sql_that_does_not_parse_fails_before_any_server(tmp_path, private_tmp):
    plan_dir = make_plan_dir(OP_SPECS["add_column"], tmp_path / "p")
    up = step_file(plan_dir, 1, "up")
    lines = up.read_text().splitlines()
    n = next(i for i, line in enumerate(lines) if line.startswith("ALTER TABLE"))
    lines[n] = "ALTR TABLE users ADD COLUMN x int;"
    up.write_text("\n".join(lines) + "\n")
    proc = _migsmith(["verify", str(plan_dir), "--schema", str(SCHEMA)], private_tmp)
    assert proc.returncode == 1
    assert f"{up}:{n + 1}:1: syntax error at or near \"ALTR\"" in proc.stderr
    assert "Traceback" not in proc.stderr
    _assert_clean(private_tmp)


def test_missing_down_file_is_a_clear_error(tmp_path, private_tmp):
    plan_dir = make_plan_dir(OP_SPECS["add_index"], tmp_path / "p")
    down = step_file(plan_dir, 1, "down")
    down.unlink()
    proc = _migsmith(["verify", str(plan_dir), "--schema", str(SCHEMA)], private_tmp)
    assert proc.returncode == 1
    assert f"missing down file {down.name} (plan step 1:" in proc.stderr
    _assert_clean(private_tmp)


def test_unreachable_shadow_database(tmp_path, private_tmp):
    plan_dir = make_plan_dir(OP_SPECS["add_index"], tmp_path / "p")
    proc = _migsmith(["verify", str(plan_dir), "--schema", str(SCHEMA), "--shadow-db",
                      "postgresql://me:secret@127.0.0.1:1/nothing"], private_tmp)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "cannot connect to shadow database postgresql://me:***@127.0.0.1:1/nothing" in \
        proc.stderr
    assert "secret" not in proc.stderr
    _assert_clean(private_tmp)


def test_shadow_db_holding_other_tables_is_refused_unless_forced(tmp_path, private_tmp, pg_url):
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE invoices (id int)")
    plan_dir = make_plan_dir(OP_SPECS["set_default"], tmp_path / "p")
    args = ["verify", str(plan_dir), "--schema", str(SCHEMA), "--shadow-db", pg_url]
    refused = _migsmith(args, private_tmp)
    assert refused.returncode == 1
    assert "holds tables the schema does not describe (invoices)" in refused.stderr
    forced = _migsmith(args + ["--force"], private_tmp)
    assert forced.returncode == 0, forced.stdout + forced.stderr
    with psycopg.connect(pg_url) as conn:  # the user's database is left as it was
        assert conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
                            ).fetchone() == (1,)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_signal_stops_the_server_and_removes_the_temp_dir(sig, tmp_path, private_tmp):
    plan_dir = make_plan_dir(OP_SPECS["rename_column"], tmp_path / "p")
    env = dict(os.environ, TMPDIR=str(private_tmp), MIGSMITH_SHADOW_DIR=str(private_tmp))
    proc = subprocess.Popen([sys.executable, "-m", "migsmith", "verify", str(plan_dir),
                             "--schema", str(SCHEMA), "--rows", "20000"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not _servers_under(private_tmp):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the shadow server never started"
            time.sleep(0.05)
        time.sleep(0.3)
        proc.send_signal(sig)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode != 0
    deadline = time.monotonic() + 10
    while (_servers_under(private_tmp) or list(private_tmp.iterdir())) and \
            time.monotonic() < deadline:
        time.sleep(0.1)
    _assert_clean(private_tmp)


def test_shadow_db_without_createdb_uses_a_throwaway_schema(tmp_path, pg_url):
    """A role that may not create databases: the plan runs in a schema of the given database,
    which is dropped afterwards."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    from migsmith.tools.proving.verify import verify_plan_dir

    dbname = conninfo_to_dict(pg_url)["dbname"]
    role = "nocreate_" + dbname[-8:]
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f'CREATE ROLE "{role}" LOGIN NOCREATEDB')
        conn.execute(f'GRANT CREATE ON DATABASE "{dbname}" TO "{role}"')
    try:
        url = make_conninfo(pg_url, user=role)
        plan_dir = make_plan_dir(OP_SPECS["rename_column"], tmp_path / "p")
        report = verify_plan_dir(plan_dir, str(SCHEMA), shadow_url=url, rows=100, write=False)
        assert report.ok, report.plan.problems()
        assert report.plan.statements  # locks were observed in the schema too
        with psycopg.connect(pg_url) as conn:
            assert conn.execute("SELECT count(*) FROM pg_namespace WHERE nspname LIKE "
                                "'migsmith%'").fetchone() == (0,)
    finally:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(f'DROP OWNED BY "{role}"')
            conn.execute(f'DROP ROLE "{role}"')
