import pytest

from migsmith.tools.lint import lint_sql

RULE = "adding-rewriting-column"


def fired(sql, **kw):
    return lint_sql(sql, rules={RULE}, **kw)


@pytest.mark.parametrize("sql", [
    "ALTER TABLE prices ADD COLUMN id serial;",
    "ALTER TABLE a ADD COLUMN b SERIAL PRIMARY KEY;",
    "ALTER TABLE a ADD COLUMN b bigserial;",
    "ALTER TABLE a ADD COLUMN b bigint GENERATED ALWAYS AS IDENTITY;",
    "ALTER TABLE foo ADD COLUMN bar numeric GENERATED ALWAYS AS (bar + baz) STORED;",
])
def test_flags_columns_that_need_a_value_per_row(sql):
    assert len(fired(sql)) == 1


@pytest.mark.parametrize("sql", [
    "ALTER TABLE a ADD COLUMN b bigint;",
    "ALTER TABLE a ADD COLUMN b bigint DEFAULT 0;",
    "ALTER TABLE foo ADD COLUMN bar numeric GENERATED ALWAYS AS (baz * 2) VIRTUAL;",  # PostgreSQL 18
    "CREATE TABLE a (x int); ALTER TABLE a ADD COLUMN id bigserial;",
    "CREATE TABLE a (id serial);",
])
def test_allows_plain_columns_and_new_tables(sql):
    assert fired(sql) == []
