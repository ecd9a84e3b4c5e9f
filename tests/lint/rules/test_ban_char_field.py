import pytest

from migsmith.tools.lint import lint_sql

RULE = "ban-char-field"


def fired(sql, **kw):
    return lint_sql(sql, rules={RULE}, **kw)


@pytest.mark.parametrize("sql, count", [
    ("CREATE TABLE t (a char(100), b character(100), c char, d character);", 4),
    ("CREATE TABLE t (c bpchar(50));", 1),
    ('CREATE TABLE t (c "character"(255));', 1),
    ("CREATE TABLE t (c char[]);", 1),
    ("CREATE TABLE t (q nchar);", 1),
    ("ALTER TABLE t ADD COLUMN c character(100);", 1),
])
def test_flags_char_columns(sql, count):
    assert len(fired(sql)) == count


@pytest.mark.parametrize("sql", [
    "CREATE TABLE t (a varchar(100), b text, c character varying);",
    "CREATE TABLE t (a text CHECK (length(a) = 3));",
])
def test_allows_text_types(sql):
    assert fired(sql) == []
