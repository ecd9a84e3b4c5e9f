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


def test_copying_into_an_existing_table_does_not_excuse_the_drop():
    sql = "INSERT INTO archive SELECT * FROM posts; DROP TABLE posts;"
    assert len(fired(sql)) == 1


@pytest.mark.parametrize("sql, dialect", [
    ("DROP INDEX idx;", "postgres"),
    ("DROP VIEW v;", "postgres"),
    ("CREATE TABLE staging (a int); DROP TABLE staging;", "postgres"),
    ("CREATE TEMP TABLE s (a int); DROP TABLE s;", "postgres"),
    ("CREATE TABLE s (a int); DROP TABLE s;", "mysql"),
    ("DROP TABLE IF EXISTS temp.check_rows;", "sqlite"),
    ("DROP TABLE pg_temp.scratch;", "postgres"),
    ("DROP TEMPORARY TABLE scratch;", "mysql"),
    # SQLite's 12-step rebuild: new shape, rows copied, old dropped, new renamed into place
    ('CREATE TABLE "new_posts" (id integer, title text); '
     'INSERT INTO "new_posts" (id, title) SELECT id, title FROM "posts"; '
     'DROP TABLE "posts"; ALTER TABLE "new_posts" RENAME TO "posts";', "sqlite"),
    ("CREATE TABLE posts_v2 (LIKE posts); INSERT INTO posts_v2 SELECT * FROM posts; DROP TABLE posts;",
     "postgres"),
])
def test_allows_other_drops_and_tables_made_here(sql, dialect):
    assert fired(sql, dialect=dialect) == []
