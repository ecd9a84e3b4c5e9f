import pytest

from migsmith.tools.lint import lint_sql

RULE = "renaming-column"


def fired(sql, **kw):
    return lint_sql(sql, rules={RULE}, **kw)


@pytest.mark.parametrize("sql, dialect", [
    ('ALTER TABLE "table_name" RENAME COLUMN "column_name" TO "new_column_name";', "postgres"),
    ("ALTER TABLE posts RENAME created TO created_at;", "postgres"),
    ("ALTER TABLE posts RENAME COLUMN created TO created_at;", "mysql"),
    ("ALTER TABLE posts CHANGE COLUMN created created_at DATETIME;", "mysql"),
    ("ALTER TABLE posts RENAME COLUMN created TO created_at;", "sqlite"),
])
def test_flags_column_renames(sql, dialect):
    assert len(fired(sql, dialect=dialect)) == 1


@pytest.mark.parametrize("sql, dialect", [
    ("ALTER TABLE posts RENAME TO articles;", "postgres"),
    ("ALTER INDEX i RENAME TO j;", "postgres"),
    ("CREATE TABLE posts (created int); ALTER TABLE posts RENAME COLUMN created TO c;", "postgres"),
    ("ALTER TABLE posts CHANGE COLUMN created created DATETIME;", "mysql"),  # type change only
    ("ALTER TABLE posts ADD COLUMN created_at TEXT;", "sqlite"),
])
def test_allows_other_statements(sql, dialect):
    assert fired(sql, dialect=dialect) == []
