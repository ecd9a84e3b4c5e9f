import pytest

from migsmith.tools.lint import lint_sql

RULE = "prefer-text"


def fired(sql, **kw):
    return lint_sql(sql, rules={RULE}, **kw)


@pytest.mark.parametrize("sql", [
    'CREATE TABLE "core_bar" ("id" bigint, "alpha" varchar(100) NOT NULL);',
    "CREATE TABLE t (c pg_catalog.varchar(100));",
    "CREATE TABLE t (c character varying(20));",
    "CREATE TABLE t (c varchar(255)[]);",
    'ALTER TABLE "foo_table" ADD COLUMN "foo_column" varchar(256) NULL;',
    "ALTER TABLE t ALTER COLUMN c TYPE varchar(1000) USING c::varchar(1000);",
])
def test_flags_bounded_varchar(sql):
    assert len(fired(sql)) == 1


@pytest.mark.parametrize("sql", [
    "CREATE TABLE IF NOT EXISTS foo_table (bar_col varchar);",
    "CREATE TABLE t (c text CHECK (length(c) <= 100));",
    "ALTER TABLE t ADD COLUMN c text;",
    "CREATE TABLE t (c char(3));",
])
def test_allows_text_and_unbounded_varchar(sql):
    assert fired(sql) == []
