import pytest

from migsmith.tools.lint import lint_sql

RULE = "ban-drop-table"


def fired(sql, **kw):
    return lint_sql(sql, rules={RULE}, **kw)


@pytest.mark.parametrize("sql, dialect, count", [
    ('DROP TABLE "table_name";\nDROP TABLE IF EXISTS "table_name";\nDROP TABLE IF EXISTS "table_name"',
     "postgres", 3),
    ("DROP TABLE a, b;", "postgres", 2),
    ("DROP TABLE IF EXISTS t;", "mysql", 1),
    ("DROP TABLE t;", "sqlite", 1),
])
def test_flags_dropped_tables(sql, dialect, count):
    assert len(fired(sql, dialect=dialect)) == count


@pytest.mark.parametrize("sql, dialect", [
    ("DROP INDEX idx;", "postgres"),
    ("DROP VIEW v;", "postgres"),
    ("CREATE TABLE staging (a int); DROP TABLE staging;", "postgres"),
    ("CREATE TEMP TABLE s (a int); DROP TABLE s;", "postgres"),
    ("CREATE TABLE s (a int); DROP TABLE s;", "mysql"),
])
def test_allows_other_drops_and_tables_made_here(sql, dialect):
    assert fired(sql, dialect=dialect) == []
