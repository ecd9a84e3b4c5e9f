"""Issue 10, defect 9: a signal at any moment leaves no process, no directory and no file
behind. ``plan``, ``verify``, ``eval --verify`` and ``backfill`` are stopped at random moments
by SIGINT (to the process group, as a terminal's Ctrl-C), a double Ctrl-C, SIGTERM and SIGHUP
(to the process, as ``kill`` and a closed terminal); afterwards the private temp and shadow
directories are empty, no process of the run is left (servers included), an interrupted
``plan`` left no plan directory and ``verify`` no temp file in it.

``MIGSMITH_SIGNAL_RUNS=N`` runs N random moments per command and signal instead of one (the
seed is printed on failure); CI runs one each.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from hostile_helpers import ROOT, SCHEMA, make_plan

pytestmark = pytest.mark.postgres

RUNS = int(os.environ.get("MIGSMITH_SIGNAL_RUNS", "1"))
SEED = int(os.environ.get("MIGSMITH_SIGNAL_SEED", str(int(time.time()))))
KINDS = ["SIGINT", "double Ctrl-C", "SIGTERM", "SIGHUP"]
# How long each command runs here, roughly: the random moment falls in [0, LIFE].
LIFE = {"plan": 4.0, "verify": 4.0, "eval": 6.0, "backfill": 3.0}


@pytest.fixture()
def private(tmp_path_factory):
    """TMPDIR and MIGSMITH_SHADOW_DIR of the run's own (world-enterable, for the server's
    system user), and a cache directory that is allowed to keep files."""
    base = Path(tmp_path_factory.mktemp("signals"))
    os.chmod(base, 0o755)
    dirs = {name: base / name for name in ("tmp", "shadow", "cache", "work")}
    for d in dirs.values():
        d.mkdir()
        os.chmod(d, 0o755)
    return dirs


def _processes_of(session: int, marker: str) -> list[str]:
    """Live processes of the run: in its session, or naming its private directories."""
    out = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        fields = stat.rsplit(") ", 1)[1].split()
        state, sid = fields[0], int(fields[3])
        if state != "Z" and (sid == session or marker in cmd):
            out.append(f"{pid}: {cmd[:200]}")
    return out


def _leftovers(private: dict, session: int) -> list[str]:
    found = [str(p) for d in ("tmp", "shadow") for p in private[d].iterdir()]
    return found + _processes_of(session, str(private["tmp"].parent))


def _interrupt(args: list, private: dict, kind: str, delay: float
               ) -> tuple[subprocess.Popen, str]:
    """The process, stopped as ``kind`` says ``delay`` seconds in, and its stderr."""
    env = dict(os.environ, TMPDIR=str(private["tmp"]), MIGSMITH_SHADOW_DIR=str(private["shadow"]),
               XDG_CACHE_HOME=str(private["cache"]), COLUMNS="200")
    proc = subprocess.Popen([sys.executable, "-m", "migsmith", *map(str, args)], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    _wait_for_handlers(proc)
    time.sleep(delay)
    try:
        if kind == "SIGINT":
            os.killpg(proc.pid, signal.SIGINT)
        elif kind == "double Ctrl-C":
            os.killpg(proc.pid, signal.SIGINT)
            time.sleep(0.05)
            os.killpg(proc.pid, signal.SIGINT)
        else:
            proc.send_signal(getattr(signal, kind))
    except ProcessLookupError:
        pass  # it had finished already: what it left is checked all the same
    try:
        _, err = proc.communicate(timeout=90)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    return proc, err


def _wait_for_handlers(proc: subprocess.Popen, timeout: float = 30.0) -> None:
    """Until migsmith's own code runs: its signal handlers are in place (it catches SIGHUP,
    which Python itself leaves alone). Before that moment the interpreter is still starting
    (reading site-packages), and a Ctrl-C there is Python's own business: migsmith has not
    made anything yet that could be left behind."""
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            status = Path(f"/proc/{proc.pid}/status").read_text()
        except OSError:
            return
        caught = int(next(line.split()[1] for line in status.splitlines()
                          if line.startswith("SigCgt:")), 16)
        if caught & (1 << (signal.SIGHUP - 1)):
            return
        time.sleep(0.002)


def _wait_clean(private: dict, session: int) -> list[str]:
    deadline = time.monotonic() + 15  # a server's last processes take a moment to go
    while (left := _leftovers(private, session)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def _moments(command: str, kind: str) -> list[float]:
    rng = random.Random(f"{SEED}-{command}-{kind}")
    return [round(rng.uniform(0.0, LIFE[command]), 2) for _ in range(RUNS)]


@pytest.fixture(scope="module")
def backfill_db(pg_server_url):
    """A database with enough rows that the client-side backfill runs for seconds."""
    name = "sig_" + os.urandom(4).hex()
    with psycopg.connect(pg_server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, query = pg_server_url.partition("?")
    url = f"{base.rsplit('/', 1)[0]}/{name}" + (f"?{query}" if query else "")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE items (id bigint PRIMARY KEY, a int, label text)")
        conn.execute("INSERT INTO items SELECT g, g % 100, NULL FROM generate_series(1, 60000) g")
    yield url
    with psycopg.connect(pg_server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _command(command: str, private: dict, backfill_db: str | None) -> tuple[list, Path | None]:
    work = private["work"]
    if command == "plan":
        out = work / "plan"
        return ["plan", "rename created to created_at in posts", "--schema", SCHEMA, "--out",
                out, "--model", "offline"], out
    if command == "verify":
        plan_dir = work / "verify-plan"
        if not plan_dir.exists():
            make_plan({"operations": [{"op": "rename_column", "table": "posts",
                                       "column": "created", "new_name": "created_at"}]},
                      plan_dir)
        return ["verify", plan_dir, "--schema", SCHEMA, "--rows", "5000"], plan_dir
    if command == "eval":
        return ["eval", "--verify", "-j", "2", "--only",
                "pg-seed-avatar-backfill,pg-spec-create-table-with-fk,pg-alter-type-bigint"
                ], None
    spec = work / "fill.json"
    spec.write_text('{"operations": [{"op": "backfill", "table": "items", "column": "label", '
                    '"expression": "\'v\' || a", "where": "label IS NULL"}], "options": '
                    '{"batch_size": 500, "batch_pause_ms": 20}}')
    return ["backfill", "--db", backfill_db, spec], work


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("command", ["plan", "verify", "eval", "backfill"])
def test_a_signal_at_any_moment_leaves_nothing_behind(command, kind, private, request):
    backfill_db = request.getfixturevalue("backfill_db") if command == "backfill" else None
    for delay in _moments(command, kind):
        args, target = _command(command, private, backfill_db)
        before = set(target.iterdir()) if command == "verify" else None
        proc, err = _interrupt(args, private, kind, delay)
        left = _wait_clean(private, proc.pid)
        where = f"{command} {kind} after {delay} s (seed {SEED}, exit {proc.returncode})"
        assert not left, f"{where}: left behind {left}; stderr: {err[-1500:]}"
        assert "Traceback" not in err, f"{where}: {err[-3000:]}"
        if proc.returncode != 0:
            assert len(err.strip().splitlines()) <= 2, f"{where}: {err[-2000:]}"
        if command == "plan":
            if proc.returncode != 0:
                assert not target.exists(), f"{where}: an interrupted plan left {target}"
            else:
                import shutil

                shutil.rmtree(target)  # it finished before the signal: a proven plan
        if command == "verify":
            after = set(target.iterdir())
            assert after == before, f"{where}: {sorted(map(str, after - before))}"
        if command == "backfill":
            extra = [p.name for p in target.iterdir()
                     if p.name not in ("fill.json", "fill.backfill-state.json")]
            assert not extra, f"{where}: {extra}"
