import pytest

from migsmith.tools.lint import lint_sql

RULE = "require-concurrent-partition-detach"


def fired(sql, **kw):
    return lint_sql(sql, rules={RULE}, **kw)


def test_flags_plain_detach():
    assert len(fired("ALTER TABLE events DETACH PARTITION events_2020;")) == 1


@pytest.mark.parametrize("sql", [
    "ALTER TABLE events DETACH PARTITION events_2020 CONCURRENTLY;",
    "ALTER TABLE events DETACH PARTITION events_2020 FINALIZE;",
    "ALTER TABLE events ATTACH PARTITION p FOR VALUES FROM (1) TO (2);",
])
def test_allows_concurrent_forms(sql):
    assert fired(sql) == []


def test_not_reported_before_postgres_14():
    assert fired("ALTER TABLE events DETACH PARTITION p;", pg_version=13) == []
