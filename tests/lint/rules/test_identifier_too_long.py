import pytest

from migsmith.tools.lint import lint_sql

RULE = "identifier-too-long"
LONG = "table_very_long_very_long_very_long_very_long_very_long_very_long"  # 64 bytes


def fired(sql, **kw):
    return lint_sql(sql, rules={RULE}, **kw)


@pytest.mark.parametrize("sql, count", [
    (f"CREATE TABLE {LONG} (col_{LONG} bigint);", 2),
    (f"CREATE INDEX idx_{LONG} ON t (col);", 1),
    (f"DROP TABLE {LONG};", 1),
    (f'CREATE TABLE "{LONG}" (id bigint);', 1),
    ('CREATE TABLE "' + "👨‍👩‍👧‍👦" * 3 + '" (id bigint);', 1),  # 75 bytes, 21 characters
    ('CREATE TABLE "' + "a" * 63 + '""b" (id bigint);', 1),
])
def test_flags_names_over_63_bytes(sql, count):
    assert len(fired(sql)) == count


@pytest.mark.parametrize("sql", [
    "CREATE TABLE short_name (col bigint);",
    f"CREATE TABLE {LONG[:63]} (id bigint);",  # exactly 63 bytes
    f"SELECT '{LONG}{LONG}';",  # a string, not an identifier
])
def test_allows_names_up_to_63_bytes(sql):
    assert fired(sql) == []
