import pytest

from migsmith.tools.lint import lint_sql

RULE = "require-statement-timeout"
ALTER = "ALTER TABLE t ADD COLUMN c boolean;"


def fired(sql, **kw):
    return lint_sql(sql, rules={RULE}, **kw)


@pytest.mark.parametrize("sql", [
    ALTER,
    f"SET lock_timeout = '1s'; {ALTER}",
    f"SET statement_timeout = 0; {ALTER}",
    f"{ALTER} SET statement_timeout = '5s';",
])
def test_flags_missing_statement_timeout(sql):
    assert len(fired(sql)) == 1
    assert fired(sql)[0].severity == "warning"


@pytest.mark.parametrize("sql", [
    f"SET statement_timeout = '5s'; {ALTER}",
    f"SET Statement_Timeout = 5000; {ALTER}",
    f"BEGIN; SET LOCAL statement_timeout = '5s'; {ALTER} COMMIT;",
    "CREATE INDEX CONCURRENTLY idx ON t (c);",  # a short timeout would only kill the build
    "SELECT 1;",
])
def test_allows_statement_timeout_and_non_blocking_statements(sql):
    assert fired(sql) == []
