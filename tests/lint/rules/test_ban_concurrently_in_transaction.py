import pytest

from migsmith.tools.lint import lint_sql

RULE = "ban-concurrently-in-transaction"


def fired(sql, **kw):
    return lint_sql(sql, rules={RULE}, **kw)


@pytest.mark.parametrize("sql", [
    "BEGIN;\nCREATE INDEX CONCURRENTLY idx ON t (a);\nCOMMIT;",
    "START TRANSACTION; DROP INDEX CONCURRENTLY idx; COMMIT;",
    "BEGIN; REINDEX TABLE CONCURRENTLY t; COMMIT;",
    "BEGIN; ALTER TABLE t DETACH PARTITION p CONCURRENTLY; COMMIT;",
    # a transaction that is never committed still encloses the statement
    "BEGIN; CREATE INDEX CONCURRENTLY idx ON t (a);",
])
def test_flags_concurrently_inside_begin(sql):
    assert len(fired(sql)) == 1


def test_flags_when_the_runner_wraps_the_file():
    (f,) = fired("CREATE UNIQUE INDEX CONCURRENTLY idx ON t (a);", assume_in_transaction=True)
    assert "runner" in f.message


@pytest.mark.parametrize("sql, assume", [
    ("CREATE INDEX CONCURRENTLY idx ON t (a);", False),
    ("BEGIN; SELECT 1; COMMIT; CREATE INDEX CONCURRENTLY idx ON t (a);", False),
    # the file ends the runner's transaction first (transaction-nesting reports that)
    ("COMMIT; CREATE INDEX CONCURRENTLY idx ON t (a); BEGIN;", True),
    ("BEGIN; CREATE INDEX idx ON t (a); COMMIT;", False),
    ("BEGIN; ROLLBACK; DROP INDEX CONCURRENTLY idx;", False),
])
def test_allows_concurrently_outside_transactions(sql, assume):
    assert fired(sql, assume_in_transaction=assume) == []


def test_points_at_the_index_and_names_the_begin_line():
    (f,) = fired("BEGIN;\nALTER TABLE t ADD COLUMN a int;\nCREATE INDEX CONCURRENTLY i ON t (a);\nCOMMIT;")
    assert (f.line, f.column) == (3, 1)
    assert "line 1" in f.message
