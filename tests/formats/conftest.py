"""Fixtures for the --format tests: one shadow server per dialect for the whole session (the
session's PostgreSQL and MariaDB, a temp dir for SQLite), fresh databases on it per test."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def pg_shadow(pg_server_url):
    from migsmith.tools.proving.shadow.postgres import PostgresShadow

    return PostgresShadow(pg_server_url)


@pytest.fixture(scope="session")
def sqlite_shadow():
    from migsmith.tools.proving.shadow.sqlite import SqliteShadow

    with SqliteShadow() as shadow:
        yield shadow


@pytest.fixture(scope="session")
def mysql_shadow(mariadb_server_url):
    from migsmith.tools.proving.shadow.mysql import MySQLShadow

    return MySQLShadow(mariadb_server_url)


@pytest.fixture()
def shadow(request):
    return request.getfixturevalue(f"{request.param}_shadow")
