import pytest

from migsmith.tools.lint import lint_sql

RULE = "prefer-timestamptz"


def fired(sql, **kw):
    return lint_sql(sql, rules={RULE}, **kw)


@pytest.mark.parametrize("sql", [
    "CREATE TABLE app.users (created_ts timestamp);",
    "CREATE TABLE app.accounts (created_ts timestamp without time zone);",
    "CREATE TABLE app.events (at timestamp(3)[]);",
    "ALTER TABLE posts ADD COLUMN created_at TIMESTAMP;",
    "ALTER TABLE app.users ALTER COLUMN created_ts TYPE timestamp;",
])
def test_flags_timestamp_without_time_zone(sql):
    assert len(fired(sql)) == 1


@pytest.mark.parametrize("sql", [
    "CREATE TABLE app.users (created_ts timestamptz);",
    "CREATE TABLE app.accounts (created_ts timestamp with time zone);",
    "CREATE TABLE t (d date, t time);",
])
def test_allows_timestamptz(sql):
    assert fired(sql) == []
