import pytest

from migsmith.tools.lint import lint_sql

RULE = "transaction-nesting"


def fired(sql, **kw):
    return lint_sql(sql, rules={RULE}, **kw)


@pytest.mark.parametrize("sql, assume, count", [
    ("BEGIN;\nBEGIN;\nSELECT 1;\nCOMMIT;", False, 1),
    ("BEGIN;\nSELECT 1;\nCOMMIT;\nCOMMIT;", False, 1),
    ("SELECT 1;\nCOMMIT;", True, 1),
    ("SELECT 1;\nROLLBACK;", True, 1),
    ("BEGIN;\nBEGIN;\nSELECT 1;\nCOMMIT;", True, 3),
    ("SAVEPOINT s;", False, 1),
    ("BEGIN; SELECT 1; COMMIT; ROLLBACK;", False, 1),
])
def test_flags_nesting_and_unmatched_ends(sql, assume, count):
    assert len(fired(sql, assume_in_transaction=assume)) == count


@pytest.mark.parametrize("sql, assume", [
    ("BEGIN;\nSELECT 1;\nCOMMIT;", False),
    ("BEGIN; SELECT 1; COMMIT; BEGIN; SELECT 2; COMMIT;", False),  # concatenated migrations
    ("SELECT 1;", True),
    ("BEGIN; SAVEPOINT s; ROLLBACK TO s; RELEASE s; COMMIT;", False),
    ("BEGIN; SELECT 1; COMMIT AND CHAIN; SELECT 2; COMMIT;", False),
])
def test_allows_balanced_transactions(sql, assume):
    assert fired(sql, assume_in_transaction=assume) == []


def test_sqlite():
    assert len(fired("BEGIN; BEGIN; COMMIT;", dialect="sqlite")) == 1
    assert fired("BEGIN TRANSACTION; CREATE TABLE t (a); COMMIT;", dialect="sqlite") == []
