"""Where a plan stands on a database: the ``migsmith_history`` table that ``migsmith apply``
keeps in the target database, and the rules it applies before running a step.

One row per applied step: the plan's name, the step number and file, the SHA-256 of the up
file, when, by whom (the database user and the operating-system user) and how long it took.
A rolled-back step's row is deleted, so the table always says what is in the database now.

Before a step runs, ``check_up`` / ``check_down`` refuse, with one line, a step whose
predecessor has not run, a step (or an earlier one) whose file changed since it ran, and a
step whose deploy note says new code must ship first (unless told ``through_deploy``).
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import socket
import time
from dataclasses import dataclass

from migsmith.tools.errors import MigsmithError

TABLE = "migsmith_history"

_DDL = {
    "postgres": f"""CREATE TABLE IF NOT EXISTS {TABLE} (
        plan text NOT NULL, step integer NOT NULL, name text NOT NULL,
        checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(),
        applied_by text NOT NULL, duration_ms integer NOT NULL, PRIMARY KEY (plan, step))""",
    "mysql": f"""CREATE TABLE IF NOT EXISTS {TABLE} (
        plan VARCHAR(190) NOT NULL, step INT NOT NULL, name VARCHAR(255) NOT NULL,
        checksum CHAR(64) NOT NULL, applied_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
        applied_by VARCHAR(255) NOT NULL, duration_ms INT NOT NULL, PRIMARY KEY (plan, step))""",
    "sqlite": f"""CREATE TABLE IF NOT EXISTS {TABLE} (
        plan TEXT NOT NULL, step INTEGER NOT NULL, name TEXT NOT NULL, checksum TEXT NOT NULL,
        applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
        applied_by TEXT NOT NULL, duration_ms INTEGER NOT NULL, PRIMARY KEY (plan, step))""",
}


class Refused(MigsmithError):
    """A step that must not run now; nothing was changed."""


@dataclass
class Applied:
    step: int
    name: str
    checksum: str
    applied_at: str
    applied_by: str
    duration_ms: int


def checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class History:
    """The history of one plan on one database connection (psycopg, PyMySQL or sqlite3, all
    in autocommit)."""

    def __init__(self, dialect: str, conn, plan: str):
        self.dialect, self.conn, self.plan = dialect, conn, plan
        self.mark = "?" if dialect == "sqlite" else "%s"

    def _exec(self, sql: str, params: tuple = ()) -> list[tuple]:
        sql = sql.replace("%s", self.mark)
        if self.dialect == "postgres":
            cur = self.conn.execute(sql, params)
            return cur.fetchall() if cur.description else []
        if self.dialect == "sqlite":
            return self.conn.execute(sql, params).fetchall()
        with self.conn.cursor() as cur:
            cur.execute(sql, params)
            return list(cur.fetchall()) if cur.description else []

    def exists(self) -> bool:
        if self.dialect == "postgres":
            return self._exec("SELECT to_regclass(%s) IS NOT NULL", (TABLE,))[0][0]
        if self.dialect == "sqlite":
            return bool(self._exec("SELECT 1 FROM sqlite_master WHERE name = %s", (TABLE,)))
        return bool(self._exec("SELECT 1 FROM information_schema.tables WHERE table_schema = "
                               "DATABASE() AND table_name = %s", (TABLE,)))

    def ensure(self) -> None:
        self._exec(_DDL[self.dialect])

    def applied(self) -> dict[int, Applied]:
        if not self.exists():
            return {}
        rows = self._exec(f"SELECT step, name, checksum, applied_at, applied_by, duration_ms "
                          f"FROM {TABLE} WHERE plan = %s ORDER BY step", (self.plan,))
        return {r[0]: Applied(r[0], r[1], r[2], str(r[3]), r[4], r[5]) for r in rows}

    def who(self) -> str:
        user = {"postgres": "SELECT current_user", "mysql": "SELECT CURRENT_USER()"}.get(
            self.dialect)
        db_user = self._exec(user)[0][0] if user else None
        os_user = f"{getpass.getuser()}@{socket.gethostname()}"
        return f"{os_user} as {db_user}" if db_user else os_user

    def record(self, step: int, name: str, digest: str, seconds: float) -> None:
        self._exec(f"INSERT INTO {TABLE} (plan, step, name, checksum, applied_by, duration_ms) "
                   "VALUES (%s, %s, %s, %s, %s, %s)",
                   (self.plan, step, name, digest, self.who(), int(seconds * 1000)))

    def forget(self, step: int) -> None:
        self._exec(f"DELETE FROM {TABLE} WHERE plan = %s AND step = %s", (self.plan, step))

    @contextlib.contextmanager
    def lock(self):
        """One `migsmith apply` per plan and database at a time (PostgreSQL, MySQL)."""
        key = f"migsmith:{self.plan}"[:64]
        if self.dialect == "postgres":
            got = self._exec("SELECT pg_try_advisory_lock(hashtext(%s))", (key,))[0][0]
        elif self.dialect == "mysql":
            got = self._exec("SELECT GET_LOCK(%s, 0)", (key,))[0][0] == 1
        else:
            got = True
        if not got:
            raise Refused(f"another migsmith apply is running plan {self.plan} on this database")
        try:
            yield
        finally:
            if self.dialect == "postgres":
                self._exec("SELECT pg_advisory_unlock(hashtext(%s))", (key,))
            elif self.dialect == "mysql":
                self._exec("SELECT RELEASE_LOCK(%s)", (key,))


def deploy_first(step: dict) -> bool:
    """The step's deploy note says new code must ship before it."""
    return (step.get("deploy_note") or "").startswith("Before:")


def check_changed(steps: list[dict], applied: dict[int, Applied], digests: dict[int, str]) -> None:
    for step in steps:
        done = applied.get(step["number"])
        if done and done.checksum != digests[step["number"]]:
            raise Refused(f"step {step['number']}: {step['up_file']} changed since it ran on "
                          f"{done.applied_at[:19]} (checksum {done.checksum[:12]}, now "
                          f"{digests[step['number']][:12]}); refusing to go on: restore the "
                          "file, or roll the step back with the file it ran with")


def check_up(step: dict, all_steps: list[dict], applied: dict[int, Applied], *,
             through_deploy: bool, ran_now: bool) -> None:
    """Raise Refused when ``step`` must not run next."""
    missing = [s["number"] for s in all_steps if s["number"] < step["number"]
               and s["number"] not in applied]
    if missing:
        raise Refused(f"step {step['number']}: step {missing[-1]} has not run yet; apply the "
                      f"steps in order (migsmith apply --steps {missing[0]}-{step['number']})")
    if deploy_first(step) and not through_deploy:
        raise DeployPoint(step, ran_now)


class DeployPoint(Refused):
    """Stopped before a step whose deploy note says new code must ship first."""

    def __init__(self, step: dict, ran_now: bool):
        note = step["deploy_note"].removeprefix("Before:").strip()
        super().__init__(f"stopped before step {step['number']} ({step['title']}): {note} "
                         "Run again with --through-deploy once that code is out.")
        self.step = step
        self.ran_now = ran_now


def check_down(step: dict, all_steps: list[dict], applied: dict[int, Applied]) -> None:
    later = [s["number"] for s in all_steps if s["number"] > step["number"]
             and s["number"] in applied]
    if later:
        raise Refused(f"step {step['number']}: step {later[-1]} is still applied; roll back "
                      f"the later steps first (migsmith apply --down --steps "
                      f"{step['number']}-{later[-1]})")


def timed(run) -> tuple[object, float]:
    started = time.perf_counter()
    result = run()
    return result, time.perf_counter() - started


def connect(dialect: str, url: str):
    """An autocommit connection to the database the user named (MigsmithError if it fails)."""
    if dialect == "mysql":
        from migsmith.tools.schema.live_mysql import connect_mysql

        return connect_mysql(url)
    if dialect == "sqlite":
        from pathlib import Path

        from migsmith.tools.schema.live_sqlite import connect_sqlite, sqlite_path

        if not Path(sqlite_path(url)).is_file():
            raise MigsmithError(f"SQLite database not found: {sqlite_path(url)}")
        return connect_sqlite(url)
    import psycopg

    try:
        return psycopg.connect(url, autocommit=True)
    except psycopg.Error as exc:
        raise MigsmithError(f"cannot connect to --db: {str(exc).strip().splitlines()[0]}"
                            ) from None


def url_dialect(url: str) -> str:
    low = url.lower()
    if low.startswith(("mysql", "mariadb")):
        return "mysql"
    if low.startswith("sqlite") or low.endswith((".db", ".sqlite", ".sqlite3")):
        return "sqlite"
    return "postgres"
