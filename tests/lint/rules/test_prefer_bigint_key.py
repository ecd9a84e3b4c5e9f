import pytest

from migsmith.tools.lint import lint_sql

RULE = "prefer-bigint-key"


def fired(sql, **kw):
    return lint_sql(sql, rules={RULE}, **kw)


@pytest.mark.parametrize("sql, count", [
    ("CREATE TABLE users (id int);", 1),
    ("CREATE TABLE users (id integer PRIMARY KEY);", 1),
    ("CREATE TABLE users (id serial4);", 1),
    ("CREATE TABLE users (id smallint);", 1),
    ("CREATE TABLE users (id smallserial PRIMARY KEY, score smallint NOT NULL);", 1),
    ("CREATE TABLE users (uid int, PRIMARY KEY (uid));", 1),
    ("CREATE TABLE posts (author int REFERENCES users (id));", 1),
    ("CREATE TABLE posts (author int, FOREIGN KEY (author) REFERENCES users (id));", 1),
    ("ALTER TABLE posts ADD COLUMN user_id integer;", 1),
    ("CREATE TABLE users (id int, account_id int4, count integer);", 2),
])
def test_flags_narrow_key_columns(sql, count):
    assert len(fired(sql)) == count


@pytest.mark.parametrize("sql", [
    "CREATE TABLE users (id bigint);",
    "CREATE TABLE users (id int8 GENERATED ALWAYS AS IDENTITY PRIMARY KEY);",
    "CREATE TABLE users (id bigserial);",
    "CREATE TABLE users (id uuid PRIMARY KEY, score int, version smallint);",  # not keys
    "CREATE TABLE users (ids int[]);",
    "ALTER TABLE users ALTER COLUMN id TYPE int;",  # a type change is changing-column-type's business
])
def test_allows_bigint_keys_and_non_key_ints(sql):
    assert fired(sql) == []


@pytest.mark.parametrize("sql", [
    # documenso/documenso@75330166cc00 packages/prisma/migrations/20230505085625_create_subscription_table/migration.sql
    'CREATE TABLE "Subscription" ("id" SERIAL NOT NULL, "userId" INTEGER NOT NULL);',
    'ALTER TABLE "Passkey" ADD COLUMN "userId" INTEGER NOT NULL;',
    'CREATE TABLE t ("authorID" int4);',
])
def test_camel_case_key_columns_are_keys(sql):
    found = fired(sql)
    assert any('userId' in f.message or 'authorID' in f.message for f in found)


def test_camel_case_words_ending_in_id_are_not_keys():
    assert fired('CREATE TABLE t ("paid" int, "valid" int, "Lipid" int, "ID" bigint);') == []
