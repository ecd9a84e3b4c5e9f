import pytest

from migsmith.tools.lint import lint_sql

RULE = "require-concurrent-index-deletion"


def fired(sql, **kw):
    return lint_sql(sql, rules={RULE}, **kw)


@pytest.mark.parametrize("sql", [
    "DROP INDEX idx;",
    "DROP INDEX IF EXISTS idx;",
    'DROP INDEX "idx1", "idx2";',
    "BEGIN; DROP INDEX s.idx; COMMIT;",
])
def test_flags_plain_drop_index(sql):
    assert len(fired(sql)) == 1


@pytest.mark.parametrize("sql", [
    "DROP INDEX CONCURRENTLY IF EXISTS idx;",
    "DROP INDEX CONCURRENTLY idx;",
    "DROP TABLE IF EXISTS some_table;",
    "DROP TRIGGER IF EXISTS trg ON foo;",
])
def test_allows_concurrent_drop_and_other_objects(sql):
    assert fired(sql) == []
