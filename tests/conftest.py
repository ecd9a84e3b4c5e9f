"""Shared fixtures: one real PostgreSQL server per test session, a fresh database per test.

The server is the pgserver wheel's PostgreSQL (or initdb/pg_ctl on PATH, via
migsmith.tools.proving.shadow when available). Tests that need it take ``pg_url`` (a fresh, empty
database) or ``pg_server_url`` (the maintenance database).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SPECS = ROOT / "evals" / "specs"


def _peers_dir() -> Path | None:
    env = os.environ.get("MIGSMITH_PEERS_DIR")
    cand = Path(env) if env else ROOT.parent / "shared" / "peers"
    return cand if cand.is_dir() else None


@pytest.fixture(scope="session")
def peers_dir() -> Path:
    d = _peers_dir()
    if d is None:
        pytest.skip("peer linter corpora not found (../shared/peers or MIGSMITH_PEERS_DIR)")
    return d


@pytest.fixture(scope="session")
def pg_server_url():
    """URL of the maintenance database of a real PostgreSQL started for this session."""
    url = os.environ.get("MIGSMITH_TEST_PG_URL")
    if url:
        yield url
        return
    try:  # the shadow module's server: on /dev/shm, fsync off, so DDL-heavy tests stay quick
        from migsmith.tools.proving.shadow.postgres import start_server
    except ImportError:
        start_server = None
    if start_server is not None:
        shadow = start_server()
        try:
            yield shadow.server_url
        finally:
            shadow.close()
        return
    import pgserver

    tmp = tempfile.mkdtemp(prefix="migsmith-pg-")
    server = pgserver.get_server(tmp, cleanup_mode="stop")
    try:
        yield server.get_uri()
    finally:
        server.cleanup()
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture()
def pg_url(pg_server_url):
    """A fresh empty database on the session server, dropped after the test."""
    import psycopg

    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(pg_server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, query = pg_server_url.partition("?")
    root = base.rsplit("/", 1)[0]
    url = f"{root}/{name}" + (f"?{query}" if query else "")
    try:
        yield url
    finally:
        with psycopg.connect(pg_server_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def mariadb_server_url():
    """A MariaDB for the session: ``MIGSMITH_TEST_MYSQL_URL`` (CI starts one with
    scripts/mariadb.sh), else one started here; tests that need it skip, saying why, without."""
    url = os.environ.get("MIGSMITH_TEST_MYSQL_URL")
    if url:
        return url
    from migsmith.tools.proving.shadow.base import ShadowError
    from migsmith.tools.proving.shadow.mysql import start_local_server

    try:
        return start_local_server()
    except ShadowError as exc:
        pytest.skip(f"no MariaDB server: {exc.message} (set MIGSMITH_TEST_MYSQL_URL or run "
                    "scripts/mariadb.sh as root once)")


@pytest.fixture(scope="session")
def example_schema_path() -> Path:
    return EXAMPLES / "schema.sql"
