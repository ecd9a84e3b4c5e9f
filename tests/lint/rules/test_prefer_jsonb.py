import pytest

from migsmith.tools.lint import lint_sql

RULE = "prefer-jsonb"


def fired(sql, **kw):
    return lint_sql(sql, rules={RULE}, **kw)


@pytest.mark.parametrize("sql", [
    "CREATE TABLE authors (id bigint, meta json);",
    "ALTER TABLE authors ADD COLUMN meta json;",
    "ALTER TABLE authors ALTER COLUMN meta TYPE json;",
])
def test_flags_json(sql):
    assert len(fired(sql)) == 1


@pytest.mark.parametrize("sql", [
    "CREATE TABLE authors (id bigint, meta jsonb);",
    "SELECT '{}'::json;",
])
def test_allows_jsonb(sql):
    assert fired(sql) == []
