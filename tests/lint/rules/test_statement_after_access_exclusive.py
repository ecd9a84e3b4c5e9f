import pytest

from migsmith.tools.lint import lint_sql

RULE = "statement-after-access-exclusive"


def fired(sql, **kw):
    return lint_sql(sql, rules={RULE}, **kw)


@pytest.mark.parametrize("sql, assume", [
    ("ALTER TABLE authors ADD COLUMN email text; SELECT count(*) FROM authors;", True),
    ("BEGIN; ALTER TABLE a ADD COLUMN x int; UPDATE b SET y = 1 WHERE id = 1; COMMIT;", False),
    ("BEGIN; DROP INDEX idx; CREATE INDEX idx2 ON t (a); COMMIT;", False),
    ("BEGIN; ALTER TABLE a ADD COLUMN x int; ALTER TABLE a VALIDATE CONSTRAINT c; COMMIT;", False),
    ("BEGIN; ALTER TABLE a ADD COLUMN x int; ALTER TABLE b ALTER COLUMN y SET NOT NULL; COMMIT;", False),
    ("BEGIN; ALTER TABLE a ADD COLUMN x int; DO $$ BEGIN PERFORM 1; END $$; COMMIT;", False),
])
def test_flags_slow_work_after_an_access_exclusive_lock(sql, assume):
    assert len(fired(sql, assume_in_transaction=assume)) == 1


@pytest.mark.parametrize("sql, assume", [
    ("ALTER TABLE authors ADD COLUMN email text; SELECT count(*) FROM authors;", False),  # autocommit
    ("BEGIN; ALTER TABLE a ADD COLUMN x int; COMMIT; SELECT 1;", False),
    ("BEGIN; ALTER TABLE a ADD COLUMN x int; SET LOCAL statement_timeout = 0; COMMIT;", False),
    ("BEGIN; CREATE INDEX i ON a (x); SELECT 1; COMMIT;", False),  # SHARE is not ACCESS EXCLUSIVE
    ("BEGIN; CREATE TABLE a (x int); ALTER TABLE a ADD COLUMN y int; SELECT 1; COMMIT;", False),
    # catalog-only follow-ups: a trigger and its function, a NOT VALID constraint, a default
    ("BEGIN; ALTER TABLE a ADD COLUMN x int; "
     "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$; "
     "CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW EXECUTE FUNCTION f(); "
     "ALTER TABLE a ADD CONSTRAINT c CHECK (x > 0) NOT VALID; "
     "ALTER TABLE a ALTER COLUMN x SET DEFAULT 0; COMMIT;", False),
])
def test_allows_committed_weaker_or_catalog_only_work(sql, assume):
    assert fired(sql, assume_in_transaction=assume) == []
