import pytest

from migsmith.tools.lint import lint_sql

RULE = "ban-drop-column"


def fired(sql, **kw):
    return lint_sql(sql, rules={RULE}, **kw)


@pytest.mark.parametrize("sql, dialect", [
    ('ALTER TABLE "bar_tbl" DROP COLUMN "foo_col" CASCADE;', "postgres"),
    ("ALTER TABLE posts DROP COLUMN IF EXISTS created;", "postgres"),
    ("ALTER TABLE posts DROP COLUMN created;", "mysql"),
    ("ALTER TABLE posts DROP COLUMN created;", "sqlite"),
])
def test_flags_dropped_columns(sql, dialect):
    assert len(fired(sql, dialect=dialect)) == 1


@pytest.mark.parametrize("sql, dialect", [
    ("ALTER TABLE posts DROP CONSTRAINT c;", "postgres"),
    ("ALTER TABLE posts ALTER COLUMN c DROP DEFAULT;", "postgres"),
    ("CREATE TABLE tmp (a int, b int); ALTER TABLE tmp DROP COLUMN b;", "postgres"),
    ("ALTER TABLE posts DROP INDEX idx, ALGORITHM=INPLACE, LOCK=NONE;", "mysql"),
])
def test_allows_other_drops(sql, dialect):
    assert fired(sql, dialect=dialect) == []


def test_can_be_disabled_for_one_statement():
    sql = ("-- migsmith:disable ban-drop-column -- unused since v12\n"
           "ALTER TABLE posts DROP COLUMN created;\n"
           "ALTER TABLE posts DROP COLUMN legacy;\n")
    assert [f.line for f in fired(sql)] == [3]
