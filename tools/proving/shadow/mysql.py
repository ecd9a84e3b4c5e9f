"""MySQL/MariaDB shadow databases: a fresh database per plan on a throwaway or given server.

Where the server comes from, in order: ``server_url`` (a test fixture's server: databases are
created and dropped on it, the server is left running); ``shadow_url`` (a user's
``--shadow-db``: refused if it holds tables the schema does not describe, unless ``force``);
``MIGSMITH_MYSQL_URL``; otherwise ``scripts/mariadb.sh`` of a source checkout, which installs
Debian's mariadb-server if needed and starts one on loopback (it keeps running for later
verifications; ``scripts/mariadb.sh stop`` ends it).
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from migsmith.tools.errors import SchemaError
from migsmith.tools.proving.shadow.base import ShadowDatabase, ShadowError, ShadowServer
from migsmith.tools.proving.shadow.mysql_owner import (account_url, companions, drop_account,
                                                        make_account)

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "mariadb.sh"


def with_database(url: str, database: str) -> str:
    parts = urlparse(url)
    return urlunparse(parts._replace(path="/" + database))


class MySQLShadow(ShadowServer):
    dialect = "mysql"

    def __init__(self, server_url: str):
        self.server_url = server_url

    @contextlib.contextmanager
    def database(self, label: str = "plan") -> Iterator[ShadowDatabase]:
        from migsmith.tools.schema.live_mysql import connect_mysql

        name = f"migsmith_{label}_{uuid.uuid4().hex[:10]}"
        try:
            conn = connect_mysql(self.server_url, database="")
        except SchemaError as exc:
            raise ShadowError(f"MySQL shadow server unreachable: {exc.message}") from None
        account = None
        try:
            with conn.cursor() as cur:
                cur.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
                account = make_account(cur, name)
            yield ShadowDatabase("mysql", account_url(self.server_url, name, account), name)
        finally:
            with contextlib.suppress(Exception), conn.cursor() as cur:
                cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
                cur.execute("SHOW DATABASES LIKE %s", (companions(name),))
                for (companion,) in cur.fetchall():
                    cur.execute(f"DROP DATABASE IF EXISTS `{companion}`")
                drop_account(cur, account)
            conn.close()


def run_script(conn, sql: str) -> None:
    """Send a plan file's statements one at a time, as the mysql client does (DELIMITER-aware),
    draining every result set (a CALL returns several)."""
    from migsmith.tools.dialects.mysql import split_script

    with conn.cursor() as cur:
        for statement in split_script(sql):
            cur.execute(statement)
            while cur.nextset():
                pass


def start_local_server() -> str:
    """URL of the throwaway MariaDB that scripts/mariadb.sh starts (or finds running)."""
    if not SCRIPT.is_file():
        raise ShadowError("no MySQL server to verify on",
                          hint="set MIGSMITH_MYSQL_URL=mysql://user:pw@host:port/ or pass "
                               "--shadow-db")
    try:
        out = subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True,
                             timeout=600, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ShadowError(f"starting MariaDB failed: {exc}") from None
    url = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""
    if out.returncode != 0 or not url.startswith("mysql://"):
        tail = " | ".join(out.stderr.strip().splitlines()[-3:])
        raise ShadowError(f"starting MariaDB with {SCRIPT.name} failed: {tail or 'no output'}")
    return url


def open_mysql_shadow(shadow_url: str | None = None, server_url: str | None = None,
                      described_tables: set[str] = frozenset(), force: bool = False
                      ) -> MySQLShadow:
    if server_url:
        return MySQLShadow(server_url)
    if shadow_url:
        _refuse_real_database(shadow_url, described_tables, force)
        return MySQLShadow(shadow_url)
    env = os.environ.get("MIGSMITH_MYSQL_URL")
    return MySQLShadow(env or start_local_server())


_SYSTEM_DATABASES = {"information_schema", "mysql", "performance_schema", "sys"}
_THROWAWAY = re.compile(r"migsmith_(?:plan|alt|t)_[0-9a-f]{10}")


def _system_or_ours(name: str) -> bool:
    return name in _SYSTEM_DATABASES or _THROWAWAY.fullmatch(name) is not None


def _refuse_real_database(url: str, described: set[str], force: bool) -> None:
    from migsmith.tools.schema.live import redact_url
    from migsmith.tools.schema.live_mysql import connect_mysql

    conn = connect_mysql(url)
    try:
        with conn.cursor() as cur:
            if urlparse(url).path.strip("/"):
                cur.execute("SELECT TABLE_NAME FROM information_schema.TABLES "
                            "WHERE TABLE_SCHEMA = DATABASE()")
                names = [r[0] for r in cur.fetchall()]
            else:
                # No database named: verification creates its own on this server, which must
                # then hold nothing but the system's and migsmith's throwaway databases.
                cur.execute("SHOW DATABASES")
                others = [r[0] for r in cur.fetchall() if not _system_or_ours(r[0])]
                if others and not force:
                    raise ShadowError(
                        f"refusing to use {redact_url(url)} as a shadow server: it holds "
                        f"databases ({', '.join(others[:5])}), so it may be a real one",
                        hint="name an empty database in --shadow-db, or pass --force if the "
                             "server really is disposable")
                return
    finally:
        conn.close()
    known = {t.lower() for t in described}
    foreign = [n for n in names if n.lower() not in known]
    if foreign and not force:
        raise ShadowError(f"refusing to use {redact_url(url)} as a shadow database: it holds "
                          f"tables the schema does not describe ({', '.join(foreign[:5])}), so "
                          "it may be a real database",
                          hint="point --shadow-db at an empty database, or pass --force if it "
                               "really is disposable")
