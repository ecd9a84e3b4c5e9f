import pytest

from migsmith.tools.lint import lint_sql

RULE = "adding-volatile-default"


def fired(sql, **kw):
    return lint_sql(sql, rules={RULE}, **kw)


@pytest.mark.parametrize("sql", [
    "ALTER TABLE t ADD COLUMN c boolean DEFAULT random() > 0.5;",
    "ALTER TABLE t ADD COLUMN c uuid DEFAULT gen_random_uuid();",
    "ALTER TABLE t ADD COLUMN c uuid NOT NULL DEFAULT uuid_generate_v4();",
    "ALTER TABLE t ADD COLUMN c timestamptz DEFAULT clock_timestamp();",
    "ALTER TABLE t ADD COLUMN c bigint DEFAULT nextval('seq');",
    "ALTER TABLE t ADD COLUMN c jsonb DEFAULT myjsonb();",  # unknown: cannot prove it is stable
    "ALTER TABLE t ADD COLUMN c timestamptz DEFAULT now(123);",  # not the now() we know
    "ALTER TABLE t SET LOGGED, ADD COLUMN c integer DEFAULT uuid();",
])
def test_flags_volatile_defaults(sql):
    assert len(fired(sql)) == 1


@pytest.mark.parametrize("sql", [
    "ALTER TABLE t ADD COLUMN c integer DEFAULT 10;",
    "ALTER TABLE t ADD COLUMN c timestamptz DEFAULT now();",
    "ALTER TABLE t ADD COLUMN c timestamptz NOT NULL DEFAULT now() - interval '100 years';",
    "ALTER TABLE t ADD COLUMN c timestamptz DEFAULT current_timestamp;",
    "ALTER TABLE t ADD COLUMN c jsonb DEFAULT '{}'::jsonb;",
    "ALTER TABLE t ADD COLUMN c text[] DEFAULT array['a', 'b']::text[];",
    "ALTER TABLE t ADD COLUMN c integer DEFAULT 2 + 2;",
    "ALTER TABLE t ADD COLUMN c text DEFAULT lower('X');",
    "ALTER TABLE t ALTER COLUMN c SET DEFAULT gen_random_uuid();",  # new rows only: no rewrite
    "CREATE TABLE t (a int); ALTER TABLE t ADD COLUMN c uuid DEFAULT gen_random_uuid();",
])
def test_allows_stable_defaults(sql):
    assert fired(sql) == []


def test_any_default_rewrites_before_postgres_11():
    sql = "ALTER TABLE t ADD COLUMN c integer DEFAULT 10;"
    assert fired(sql, pg_version=11) == []
    (f,) = fired(sql, pg_version=10)
    assert "PostgreSQL 11" in f.message
    assert fired("ALTER TABLE t ADD COLUMN c integer DEFAULT NULL;", pg_version=10) == []


def test_message_names_the_function():
    (f,) = fired("ALTER TABLE t ADD COLUMN c uuid DEFAULT gen_random_uuid();")
    assert "gen_random_uuid()" in f.message
