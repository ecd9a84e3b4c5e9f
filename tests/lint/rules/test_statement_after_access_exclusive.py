import pytest

from migsmith.tools.lint import lint_sql

RULE = "statement-after-access-exclusive"


def fired(sql, **kw):
    return lint_sql(sql, rules={RULE}, **kw)


@pytest.mark.parametrize("sql, assume", [
    ("ALTER TABLE authors ADD COLUMN email text; SELECT count(*) FROM authors;", True),
    ("BEGIN; ALTER TABLE a ADD COLUMN x int; UPDATE b SET y = 1 WHERE id = 1; COMMIT;", False),
    ("BEGIN; DROP INDEX idx; CREATE INDEX idx2 ON t (a); COMMIT;", False),
])
def test_flags_work_after_an_access_exclusive_lock(sql, assume):
    assert len(fired(sql, assume_in_transaction=assume)) == 1


@pytest.mark.parametrize("sql, assume", [
    ("ALTER TABLE authors ADD COLUMN email text; SELECT count(*) FROM authors;", False),  # autocommit
    ("BEGIN; ALTER TABLE a ADD COLUMN x int; COMMIT; SELECT 1;", False),
    ("BEGIN; ALTER TABLE a ADD COLUMN x int; SET LOCAL statement_timeout = 0; COMMIT;", False),
    ("BEGIN; CREATE INDEX i ON a (x); SELECT 1; COMMIT;", False),  # SHARE is not ACCESS EXCLUSIVE
    ("BEGIN; CREATE TABLE a (x int); ALTER TABLE a ADD COLUMN y int; SELECT 1; COMMIT;", False),
])
def test_allows_committed_or_weaker_locks(sql, assume):
    assert fired(sql, assume_in_transaction=assume) == []
