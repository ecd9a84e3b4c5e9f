import pytest

from migsmith.tools.lint import lint_sql

RULE = "combine-alter-table"


def fired(sql, **kw):
    return lint_sql(sql, rules={RULE}, **kw)


@pytest.mark.parametrize("sql, assume", [
    ("ALTER TABLE authors ALTER COLUMN name SET NOT NULL;\n"
     "ALTER TABLE authors ALTER COLUMN email SET NOT NULL;", True),
    ("BEGIN; ALTER TABLE t ADD COLUMN a int; ALTER TABLE t ADD COLUMN b int; COMMIT;", False),
])
def test_flags_repeated_alter_in_one_transaction(sql, assume):
    assert len(fired(sql, assume_in_transaction=assume)) == 1


@pytest.mark.parametrize("sql, assume", [
    ("ALTER TABLE t ALTER COLUMN a SET NOT NULL, ALTER COLUMN b SET NOT NULL;", True),
    ("ALTER TABLE t ADD COLUMN a int; ALTER TABLE t ADD COLUMN b int;", False),  # separate transactions
    ("BEGIN; ALTER TABLE t ADD COLUMN a int; ALTER TABLE u ADD COLUMN b int; COMMIT;", False),
    ("BEGIN; ALTER TABLE t ADD COLUMN a int; ALTER TABLE t VALIDATE CONSTRAINT c; COMMIT;", False),
    ("BEGIN; ALTER TABLE t ADD COLUMN a int; ALTER TABLE t RENAME COLUMN a TO b; COMMIT;", False),
])
def test_allows_single_or_uncombinable_alters(sql, assume):
    assert fired(sql, assume_in_transaction=assume) == []
