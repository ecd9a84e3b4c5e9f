import pytest

from migsmith.tools.lint import lint_sql

RULE = "uncommitted-transaction"


def fired(sql, **kw):
    return lint_sql(sql, rules={RULE}, **kw)


@pytest.mark.parametrize("sql", [
    "BEGIN;\nCREATE TABLE users (id bigint);",
    "START TRANSACTION;\nCREATE TABLE users (id bigint);",
    "BEGIN WORK;\nCREATE TABLE users (id bigint);",
    "BEGIN; CREATE TABLE a (id bigint); COMMIT;\nBEGIN;\nCREATE TABLE b (id bigint);",
    "BEGIN; COMMIT AND CHAIN;",
])
def test_flags_begin_without_commit(sql):
    assert len(fired(sql)) == 1


@pytest.mark.parametrize("sql, assume", [
    ("BEGIN; CREATE TABLE users (id bigint); COMMIT;", False),
    ("BEGIN; CREATE TABLE users (id bigint); ROLLBACK;", False),
    ("CREATE TABLE users (id bigint);", False),
    ("BEGIN; BEGIN; COMMIT;", False),  # the inner BEGIN is ignored; transaction-nesting reports it
    ("COMMIT; CREATE INDEX CONCURRENTLY i ON t (a); BEGIN;", True),  # the runner commits at the end
])
def test_allows_committed_transactions(sql, assume):
    assert fired(sql, assume_in_transaction=assume) == []


def test_points_at_the_begin():
    (f,) = fired("SELECT 1;\nBEGIN;\nCREATE TABLE users (id bigint);")
    assert (f.line, f.column, f.statement) == (2, 1, "BEGIN")


def test_directive_on_the_begin_disables_it():
    assert fired("-- migsmith:disable uncommitted-transaction\nBEGIN;\nSELECT 1;") == []
