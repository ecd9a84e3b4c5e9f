import pytest

from migsmith.tools.lint import lint_sql

RULE = "validate-in-same-transaction"

ADD_FK = "ALTER TABLE email ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;"
VALIDATE = "ALTER TABLE email VALIDATE CONSTRAINT fk;"


def fired(sql, **kw):
    return lint_sql(sql, rules={RULE}, **kw)


@pytest.mark.parametrize("sql, assume", [
    (f"BEGIN; {ADD_FK} {VALIDATE} COMMIT;", False),
    (f"{ADD_FK} {VALIDATE}", True),  # the runner's transaction
    ("BEGIN; ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID; "
     "ALTER TABLE t VALIDATE CONSTRAINT c; COMMIT;", False),
    # another statement of the block already holds ACCESS EXCLUSIVE on the table
    ("BEGIN; ALTER TABLE email ADD COLUMN x int; ALTER TABLE email VALIDATE CONSTRAINT old; COMMIT;", False),
    # one ALTER TABLE that validates and does something needing ACCESS EXCLUSIVE
    ("ALTER TABLE prices VALIDATE CONSTRAINT c, DROP COLUMN price;", False),
])
def test_flags_validation_under_a_blocking_lock(sql, assume):
    assert len(fired(sql, assume_in_transaction=assume)) == 1


@pytest.mark.parametrize("sql", [
    f"{ADD_FK} {VALIDATE}",  # autocommit: two transactions
    f"BEGIN; {ADD_FK} COMMIT; BEGIN; {VALIDATE} COMMIT;",
    f"BEGIN; {ADD_FK} ROLLBACK; {VALIDATE}",
    VALIDATE,
    # a lock on another table does not matter
    "BEGIN; ALTER TABLE other ADD COLUMN x int; ALTER TABLE email VALIDATE CONSTRAINT fk; COMMIT;",
])
def test_allows_validation_in_its_own_transaction(sql):
    assert fired(sql) == []
