from migsmith.tools.lint import lint_sql

RULE = "ban-drop-database"


def fired(sql, **kw):
    return lint_sql(sql, rules={RULE}, **kw)


def test_flags_drop_database():
    assert len(fired('DROP DATABASE "x";\nDROP DATABASE IF EXISTS y;')) == 2


def test_allows_other_drops():
    assert fired("DROP SCHEMA s; DROP TABLE t; CREATE DATABASE d;") == []
