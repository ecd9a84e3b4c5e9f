import pytest

from migsmith.tools.lint import lint_sql

RULE = "combine-alter-table"


def fired(sql, **kw):
    return lint_sql(sql, rules={RULE}, **kw)


@pytest.mark.parametrize("sql, assume", [
    ("ALTER TABLE authors ALTER COLUMN name SET NOT NULL;\n"
     "ALTER TABLE authors ALTER COLUMN email SET NOT NULL;", True),
    ("BEGIN; ALTER TABLE t ADD COLUMN a int; ALTER TABLE t ALTER COLUMN b TYPE bigint; COMMIT;", False),
    ("BEGIN; ALTER TABLE t ADD COLUMN a int; ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0); COMMIT;", False),
])
def test_flags_a_scanning_alter_after_another_alter_in_one_transaction(sql, assume):
    assert len(fired(sql, assume_in_transaction=assume)) == 1


@pytest.mark.parametrize("sql, assume", [
    ("ALTER TABLE t ALTER COLUMN a SET NOT NULL, ALTER COLUMN b SET NOT NULL;", True),
    ("ALTER TABLE t ALTER COLUMN a SET NOT NULL; ALTER TABLE t ALTER COLUMN b SET NOT NULL;", False),
    ("BEGIN; ALTER TABLE t ALTER COLUMN a SET NOT NULL; ALTER TABLE u ALTER COLUMN b SET NOT NULL; COMMIT;", False),
    # catalog-only follow-ups cost nothing
    ("BEGIN; ALTER TABLE t ADD COLUMN a int; ALTER TABLE t ADD COLUMN b int; COMMIT;", False),
    ("BEGIN; ALTER TABLE t ADD COLUMN a int; ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID; COMMIT;", False),
    # SET NOT NULL backed by a validated CHECK does not scan
    ("ALTER TABLE t VALIDATE CONSTRAINT t_a_nn; BEGIN; ALTER TABLE t ALTER COLUMN a SET NOT NULL; "
     "ALTER TABLE t DROP CONSTRAINT t_a_nn; COMMIT;", False),
    ("BEGIN; ALTER TABLE t ADD COLUMN a int; ALTER TABLE t RENAME COLUMN a TO b; COMMIT;", False),
])
def test_allows_single_catalog_only_or_separate_alters(sql, assume):
    assert fired(sql, assume_in_transaction=assume) == []
