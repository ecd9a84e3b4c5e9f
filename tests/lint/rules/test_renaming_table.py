import pytest

from migsmith.tools.lint import lint_sql

RULE = "renaming-table"


def fired(sql, **kw):
    return lint_sql(sql, rules={RULE}, **kw)


@pytest.mark.parametrize("sql, dialect, count", [
    ('ALTER TABLE "table_name" RENAME TO "new_table_name";', "postgres", 1),
    ("ALTER TABLE t RENAME TO u;", "mysql", 1),
    ("RENAME TABLE a TO b, db.c TO d;", "mysql", 2),
    ("ALTER TABLE t RENAME TO u;", "sqlite", 1),
])
def test_flags_table_renames(sql, dialect, count):
    assert len(fired(sql, dialect=dialect)) == count


@pytest.mark.parametrize("sql, dialect", [
    ("ALTER TABLE t RENAME COLUMN a TO b;", "postgres"),
    ("ALTER INDEX i RENAME TO j;", "postgres"),
    ("CREATE TABLE t (a int); ALTER TABLE t RENAME TO u;", "postgres"),
    ("CREATE TABLE t (a int); RENAME TABLE t TO u;", "mysql"),
])
def test_allows_other_renames(sql, dialect):
    assert fired(sql, dialect=dialect) == []
