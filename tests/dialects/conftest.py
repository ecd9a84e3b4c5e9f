"""Fixtures for the MySQL/MariaDB and SQLite dialect tests.

One MariaDB per session: ``MIGSMITH_TEST_MYSQL_URL`` if set, else the one
``scripts/mariadb.sh`` starts (installing Debian's mariadb-server if it is missing). Tests that
need it skip, saying why, when neither works. SQLite needs nothing.
"""

from __future__ import annotations

import os
import sqlite3

import pytest


@pytest.fixture(scope="session")
def mariadb_server_url():
    url = os.environ.get("MIGSMITH_TEST_MYSQL_URL")
    if url:
        return url
    from migsmith.tools.shadow.base import ShadowError
    from migsmith.tools.shadow.mysql import start_local_server

    try:
        return start_local_server()
    except ShadowError as exc:
        pytest.skip(f"no MariaDB server: {exc.message} (set MIGSMITH_TEST_MYSQL_URL or run "
                    "scripts/mariadb.sh as root once)")


@pytest.fixture()
def mysql_url(mariadb_server_url):
    """A fresh, empty database on the session's MariaDB, dropped after the test."""
    from migsmith.tools.shadow.mysql import MySQLShadow

    with MySQLShadow(mariadb_server_url).database("t") as db:
        yield db.url


@pytest.fixture()
def mysql_conn(mysql_url):
    from migsmith.tools.schema.live_mysql import connect_mysql

    conn = connect_mysql(mysql_url)
    try:
        yield conn
    finally:
        conn.close()


@pytest.fixture()
def sqlite_path(tmp_path):
    return tmp_path / "app.db"


@pytest.fixture()
def sqlite_conn(sqlite_path):
    conn = sqlite3.connect(sqlite_path, isolation_level=None)
    try:
        yield conn
    finally:
        conn.close()
