"""Fixtures for the MySQL/MariaDB and SQLite dialect tests.

One MariaDB per session (``mariadb_server_url`` in tests/conftest.py): ``MIGSMITH_TEST_MYSQL_URL`` if set, else the one
``scripts/mariadb.sh`` starts (installing Debian's mariadb-server if it is missing). Tests that
need it skip, saying why, when neither works. SQLite needs nothing.
"""

from __future__ import annotations

import sqlite3

import pytest


@pytest.fixture()
def mysql_url(mariadb_server_url):
    """A fresh, empty database on the session's MariaDB, dropped after the test."""
    from migsmith.tools.proving.shadow.mysql import MySQLShadow

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
