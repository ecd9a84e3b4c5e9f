import pytest

from migsmith.tools.lint import lint_sql

RULE = "prefer-robust-stmts"


def fired(sql, **kw):
    return lint_sql(sql, rules={RULE}, **kw)


@pytest.mark.parametrize("sql", [
    "CREATE TABLE t (id bigint);",
    "CREATE TEMP TABLE t (id int);",
    "CREATE INDEX CONCURRENTLY idx ON t (a);",
    "CREATE INDEX CONCURRENTLY ON t (a);",  # unnamed: a re-run makes a second index
    "ALTER TABLE t ADD COLUMN c text;",
    "ALTER TABLE t DROP COLUMN c CASCADE;",
    "ALTER TABLE t DROP CONSTRAINT c;",
    "DROP INDEX CONCURRENTLY idx;",
    "DROP TABLE t;",
    "DROP TYPE t;",
    "CREATE EXTENSION pgcrypto;",
    "ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;",
    # the DROP ... IF EXISTS only covers the first ADD after it
    "ALTER TABLE t DROP CONSTRAINT IF EXISTS u; ALTER TABLE t ADD CONSTRAINT u UNIQUE USING INDEX i; "
    "ALTER TABLE t ADD CONSTRAINT u UNIQUE USING INDEX i;",
])
def test_flags_non_idempotent_ddl_outside_a_transaction(sql):
    assert len(fired(sql)) == 1


@pytest.mark.parametrize("sql, assume", [
    ("CREATE TABLE IF NOT EXISTS t (id bigint);", False),
    ("CREATE INDEX CONCURRENTLY IF NOT EXISTS idx ON t (a);", False),
    ("ALTER TABLE t ADD COLUMN IF NOT EXISTS c text;", False),
    ("ALTER TABLE t DROP COLUMN IF EXISTS c;", False),
    ("DROP INDEX CONCURRENTLY IF EXISTS idx;", False),
    ("CREATE TEMP TABLE t (id int) ON COMMIT DROP;", False),
    ("BEGIN; CREATE TABLE t (id bigint); DROP TABLE u; COMMIT;", False),  # rolls back on failure
    ("CREATE TABLE t (id bigint);", True),
    ("ALTER TABLE t ENABLE ROW LEVEL SECURITY;", False),  # idempotent by nature
    ("ALTER TABLE t ALTER COLUMN c SET NOT NULL;", False),
    ("ALTER TABLE t DROP CONSTRAINT IF EXISTS fk; "
     "ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES b (id) NOT VALID;", False),
])
def test_allows_idempotent_or_transactional_ddl(sql, assume):
    assert fired(sql, assume_in_transaction=assume) == []


# golang/pkgsite@ac4376fe69c9 migrations/000046_rename_path_id_columns.up.sql and
# 000044_rename_paths_to_units.up.sql, without the BEGIN/END they carry: golang-migrate does not
# wrap a file in a transaction, so a failure half-way leaves the first renames done.
@pytest.mark.parametrize("sql, expected", [
    ("ALTER TABLE readmes RENAME COLUMN path_id TO unit_id;", "RENAME COLUMN path_id TO unit_id"),
    ("ALTER TABLE IF EXISTS readmes RENAME COLUMN path_id TO unit_id;", "RENAME COLUMN path_id"),
    ("ALTER TABLE paths RENAME TO units;", "ALTER TABLE ... RENAME TO units without IF EXISTS"),
    ("ALTER INDEX paths_pkey RENAME TO units_pkey;", "ALTER INDEX ... RENAME TO units_pkey without IF EXISTS"),
    ("ALTER TABLE t RENAME CONSTRAINT a_fkey TO b_fkey;", "RENAME CONSTRAINT a_fkey TO b_fkey"),
])
def test_renames_outside_a_transaction(sql, expected):
    (finding,) = lint_sql(sql, rules={"prefer-robust-stmts"})
    assert expected in finding.message


@pytest.mark.parametrize("sql", [
    "ALTER TABLE IF EXISTS paths RENAME TO units;",
    "ALTER INDEX IF EXISTS paths_pkey RENAME TO units_pkey;",
    "BEGIN; ALTER TABLE readmes RENAME COLUMN path_id TO unit_id; COMMIT;",  # as pkgsite writes it
])
def test_robust_or_transactional_renames(sql):
    assert lint_sql(sql, rules={"prefer-robust-stmts"}) == []
