import pytest

from migsmith.tools.lint import lint_sql

RULE = "require-concurrent-reindex"


def fired(sql, **kw):
    return lint_sql(sql, rules={RULE}, **kw)


@pytest.mark.parametrize("sql", [
    "REINDEX TABLE foo;",
    "REINDEX INDEX foo_idx;",
    "REINDEX SCHEMA app;",
    "REINDEX DATABASE db;",
    "REINDEX (CONCURRENTLY false) INDEX idx;",
    "REINDEX (CONCURRENTLY off) TABLE t;",
])
def test_flags_blocking_reindex(sql):
    assert len(fired(sql)) == 1


@pytest.mark.parametrize("sql", [
    "REINDEX TABLE CONCURRENTLY foo;",
    "REINDEX INDEX CONCURRENTLY foo;",
    "REINDEX (CONCURRENTLY) TABLE foo;",
    "REINDEX (CONCURRENTLY true, VERBOSE) TABLE foo;",
    "REINDEX SYSTEM db;",  # catalogs cannot be reindexed concurrently
])
def test_allows_concurrent_reindex(sql):
    assert fired(sql) == []


def test_not_reported_before_postgres_12_where_there_is_no_alternative():
    assert fired("REINDEX TABLE foo;", pg_version=11) == []
