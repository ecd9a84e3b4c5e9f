import pytest

from migsmith.tools.lint import lint_sql

RULE = "check-missing-not-valid"


def fired(sql, **kw):
    return lint_sql(sql, rules={RULE}, **kw)


@pytest.mark.parametrize("sql", [
    'ALTER TABLE "accounts" ADD CONSTRAINT "positive_balance" CHECK ("balance" >= 0);',
    "ALTER TABLE users ADD CHECK (avatar_url ~ '^https?://');",
    "BEGIN; ALTER TABLE t ADD CONSTRAINT nn CHECK (c IS NOT NULL); COMMIT;",
])
def test_flags_validated_check_on_existing_table(sql):
    assert len(fired(sql)) == 1


@pytest.mark.parametrize("sql", [
    "ALTER TABLE accounts ADD CONSTRAINT pb CHECK (balance >= 0) NOT VALID;",
    "CREATE TABLE core_foo (age int); ALTER TABLE core_foo ADD CONSTRAINT a CHECK (age >= 25);",
    "ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES b (id);",
    "CREATE TABLE t (age int CHECK (age > 0));",
])
def test_allows_not_valid_and_new_tables(sql):
    assert fired(sql) == []
