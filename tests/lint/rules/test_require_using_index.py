import pytest

from migsmith.tools.lint import lint_sql

RULE = "require-using-index"


def fired(sql, **kw):
    return lint_sql(sql, rules={RULE}, **kw)


@pytest.mark.parametrize("sql", [
    "ALTER TABLE items ADD PRIMARY KEY (id);",
    "ALTER TABLE t ADD CONSTRAINT uq UNIQUE (field_name);",
    "ALTER TABLE foo ADD COLUMN bar text UNIQUE;",
    "ALTER TABLE foo ADD COLUMN bar text CONSTRAINT foo_bar_key UNIQUE;",
    "ALTER TABLE a ADD COLUMN b SERIAL PRIMARY KEY;",
])
def test_flags_constraints_that_build_an_index(sql):
    assert len(fired(sql)) == 1


@pytest.mark.parametrize("sql", [
    "ALTER TABLE items ADD CONSTRAINT items_pk PRIMARY KEY USING INDEX items_pk;",
    'ALTER TABLE "app_email" ADD CONSTRAINT "email_uniq" UNIQUE USING INDEX "email_idx";',
    "ALTER TABLE t DROP CONSTRAINT uq;",
    "CREATE TABLE products (id bigint PRIMARY KEY, sku text); "
    "ALTER TABLE products ADD CONSTRAINT sku_key UNIQUE (sku);",
    "ALTER TABLE t ADD CONSTRAINT ex EXCLUDE USING gist (r WITH &&);",  # its own rule
])
def test_allows_using_index_and_new_tables(sql):
    assert fired(sql) == []
