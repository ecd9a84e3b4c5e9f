import pytest

from migsmith.tools.lint import lint_sql

RULE = "adding-required-column"


def fired(sql, **kw):
    return lint_sql(sql, rules={RULE}, **kw)


@pytest.mark.parametrize("sql", [
    'ALTER TABLE "recipe" ADD COLUMN "public" boolean NOT NULL;',
    "ALTER TABLE authors ADD COLUMN email text NOT NULL;",
    "ALTER TABLE t ADD COLUMN id bigint PRIMARY KEY;",
])
def test_flags_not_null_without_default(sql):
    assert len(fired(sql)) == 1


@pytest.mark.parametrize("sql", [
    'ALTER TABLE "recipe" ADD COLUMN "public" boolean;',
    'ALTER TABLE "recipe" ADD COLUMN "public" boolean NOT NULL DEFAULT true;',
    "ALTER TABLE foo ADD COLUMN bar numeric GENERATED ALWAYS AS (a + b) STORED NOT NULL;",
    "ALTER TABLE foo ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY NOT NULL;",
    "ALTER TABLE foo ADD COLUMN id bigserial NOT NULL;",
    "CREATE TABLE foo (a int); ALTER TABLE foo ADD COLUMN b int NOT NULL;",
])
def test_allows_columns_that_get_values(sql):
    assert fired(sql) == []
