"""The benchmark's PostgreSQL: an embedded server (pgserver wheel), a loaded template database,
a fresh clone per run, and a statement-at-a-time applier for plan steps."""

from __future__ import annotations

import shutil
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_SQL = ROOT / "examples" / "schema.sql"


DEBIAN_PG15 = Path("/usr/lib/postgresql/15/bin")


class Server:
    """A throwaway PostgreSQL on a unix socket in a temp dir (loopback only, no TCP): the
    binaries of ``pg_bin`` (initdb/pg_ctl, e.g. Debian's PostgreSQL 15), else the pgserver
    wheel's. The data directory is on disk with fsync on: commits cost what they cost in
    production, which is most of what a batched backfill spends."""

    def __init__(self, url: str | None = None, settings: dict[str, str] | None = None,
                 pg_bin: Path | None = None):
        self._tmp = None
        self._server = None
        self._stop = None
        self.settings = dict(settings or {})
        self.kind = "given URL"
        if url:
            self.url = url
            return
        self._tmp = tempfile.mkdtemp(prefix="migsmith-bench-")
        if pg_bin:
            self.url = self._start_cluster(Path(pg_bin))
            self.kind = f"{pg_bin}, unix socket"
        else:
            import pgserver

            self._server = pgserver.get_server(self._tmp, cleanup_mode="stop")
            self.url = self._server.get_uri()
            self.kind = "pgserver wheel, unix socket"
        with psycopg.connect(self.url, autocommit=True) as conn:
            # Rewrites of 1M rows must not be dominated by forced checkpoints.
            conn.execute("ALTER SYSTEM SET max_wal_size = '8GB'")
            conn.execute("ALTER SYSTEM SET checkpoint_timeout = '30min'")
            for name, value in (settings or {}).items():  # experiments, e.g. --set work_mem=64MB
                if not name.replace("_", "").replace(".", "").isalnum():
                    raise ValueError(f"bad setting name {name!r}")
                conn.execute(f"ALTER SYSTEM SET {name} = '{value.replace(chr(39), '')}'")
            conn.execute("SELECT pg_reload_conf()")

    def db_url(self, name: str) -> str:
        base, _, query = self.url.partition("?")
        return f"{base.rsplit('/', 1)[0]}/{name}" + (f"?{query}" if query else "")

    def version(self) -> str:
        with psycopg.connect(self.url) as conn:
            return conn.execute("SHOW server_version").fetchone()[0]

    def _start_cluster(self, pg_bin: Path) -> str:
        import os
        import subprocess

        from migsmith.tools.proving.shadow.postgres import (_check_traversal, _is_root,
                                                            _stop_pgdata, _system_user)

        user = _system_user("postgres") if _is_root() else None
        kwargs = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []} if user else {}
        if user:  # the server's user must reach its directory; nothing on the way is chmod-ed
            _check_traversal(os.path.dirname(self._tmp), user)
            os.chown(self._tmp, user.pw_uid, user.pw_gid)
        data = os.path.join(self._tmp, "data")

        def run(*args: str) -> None:
            subprocess.run([str(a) for a in args], check=True, capture_output=True, timeout=120,
                           cwd=self._tmp, **kwargs)

        def stop() -> None:
            try:
                run(pg_bin / "pg_ctl", "-D", data, "-m", "fast", "-w", "stop")
            except (subprocess.SubprocessError, OSError):
                _stop_pgdata(data)

        run(pg_bin / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
            "--no-instructions")
        run(pg_bin / "pg_ctl", "-D", data, "-w", "-t", "60", "-l", os.path.join(self._tmp, "log"),
            "-o", f"-k {self._tmp} -h ''", "start")
        self._stop = stop
        return f"postgresql://postgres@/postgres?host={self._tmp}"

    def close(self) -> None:
        if self._server is not None:
            self._server.cleanup()
        if self._stop is not None:
            self._stop()
            self._stop = None
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)


def load_template(server: Server, rows: int) -> str:
    """Create database bench_<rows> with examples/schema.sql and ``rows`` rows in users, posts
    and comments (orgs: 1000). Returns its name; clones of it are cheap file copies."""
    name = f"bench_{rows}"
    with psycopg.connect(server.url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            return name
        conn.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(server.db_url(name), autocommit=True) as conn:
        conn.execute(SCHEMA_SQL.read_text())
        conn.execute("SET session_replication_role = replica")  # skip FK checks while loading
        conn.execute("INSERT INTO orgs (name) SELECT 'org ' || g FROM generate_series(1, 1000) g")
        conn.execute(
            """INSERT INTO users (org_id, email, name, email_confirmed_at, created)
               SELECT 1 + g %% 1000, 'user' || g || '@example.com', 'name ' || g,
                      CASE WHEN g %% 3 <> 0 THEN now() - g * interval '1 minute' END,
                      now() - g * interval '1 minute'
               FROM generate_series(1, %(n)s) g""", {"n": rows})
        conn.execute(
            """INSERT INTO posts (user_id, title, body, views, status, created)
               SELECT 1 + (g::bigint * 7919) %% %(n)s, 'post ' || g, repeat('lorem ipsum ', 8),
                      g %% 100, CASE WHEN g %% 2 = 0 THEN 'draft' ELSE 'published' END,
                      now() - g * interval '1 minute'
               FROM generate_series(1, %(n)s) g""", {"n": rows})
        conn.execute(
            """INSERT INTO comments (post_id, author_id, body)
               SELECT 1 + (g::bigint * 104729) %% %(n)s, 1 + g %% %(n)s, 'comment ' || g
               FROM generate_series(1, %(n)s) g""", {"n": rows})
        conn.execute("RESET session_replication_role")
        conn.execute("VACUUM ANALYZE")
    return name


def clone(server: Server, template: str) -> str:
    name = f"run_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server.url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
    return name


def drop(server: Server, name: str) -> None:
    with psycopg.connect(server.url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Applied:
    label: str
    seconds: float
    retries: int = 0
    notes: list[str] = field(default_factory=list)
    started: float = 0.0  # time.perf_counter() clock, to place stalls on steps
    ended: float = 0.0
    # (first line of the statement, started, ended) of each unit, to place stalls on statements
    units: list[tuple[str, float, float]] = field(default_factory=list)


def units(sql: str) -> list[str | list[str]]:
    """Statements to send, one at a time, as psql -f would; a BEGIN ... COMMIT block is one
    unit (a list) so that a lock timeout inside it retries the whole transaction."""
    import pglast

    out: list[str | list[str]] = []
    block: list[str] | None = None
    for stmt in pglast.split(sql):
        word = stmt.strip().split(None, 1)[0].upper().rstrip(";")
        if word in ("BEGIN", "START") and block is None:
            block = [stmt]
        elif block is not None:
            block.append(stmt)
            if word in ("COMMIT", "END", "ROLLBACK"):
                out.append(block)
                block = None
        else:
            out.append(stmt)
    if block:
        out.append(block)
    return out


def _first_line(unit) -> str:
    """The first meaningful line of a unit (the first statement after BEGIN/SET in a block)."""
    stmts = unit if isinstance(unit, list) else [unit]
    for stmt in stmts:
        for line in stmt.strip().splitlines():
            line = line.strip()
            if line and not line.startswith("--") and not line.upper().startswith(
                    ("BEGIN", "SET ", "RESET ")):
                return line[:80]
    return stmts[0].strip().splitlines()[0][:80] if stmts else ""


def apply_sql(conn, sql: str, label: str, *, retry_lock_timeout: bool,
              max_retries: int = 200) -> Applied:
    """Run ``sql`` statement by statement in autocommit mode. With ``retry_lock_timeout``, a unit
    that fails with lock_timeout (55P03) is rolled back and retried after a growing pause, so
    the DDL steps back out of the lock queue instead of stalling everyone behind it. Deadlocks
    (40P01) are retried on both sides: a naive migration would be re-run by hand too."""
    from psycopg import errors

    t0 = time.perf_counter()
    done = Applied(label, 0.0, started=t0)
    for unit in units(sql):
        attempt = 0
        u0 = time.perf_counter()
        while True:
            try:
                for stmt in unit if isinstance(unit, list) else [unit]:
                    conn.execute(stmt)
                break
            except (errors.LockNotAvailable, errors.DeadlockDetected) as exc:
                if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                    conn.execute("ROLLBACK")
                if isinstance(exc, errors.LockNotAvailable) and not retry_lock_timeout:
                    raise
                attempt += 1
                done.retries += 1
                if attempt > max_retries:
                    raise
                if isinstance(exc, errors.DeadlockDetected):
                    done.notes.append("deadlock, retried")
                time.sleep(min(0.05 * attempt, 1.0))
        done.units.append((_first_line(unit), u0, time.perf_counter()))
    done.ended = time.perf_counter()
    done.seconds = done.ended - t0
    return done
