import pytest

from migsmith.tools.lint import lint_sql

RULE = "set-not-null-without-check"

ADD_CHECK = "ALTER TABLE foo ADD CONSTRAINT bar_nn CHECK (bar IS NOT NULL) NOT VALID;"
VALIDATE = "ALTER TABLE foo VALIDATE CONSTRAINT bar_nn;"
SET_NN = "ALTER TABLE foo ALTER COLUMN bar SET NOT NULL;"


def fired(sql, **kw):
    return lint_sql(sql, rules={RULE}, **kw)


@pytest.mark.parametrize("sql", [
    SET_NN,
    "ALTER TABLE posts ALTER created_at SET NOT NULL;",
    f"{ADD_CHECK} {SET_NN}",  # the check exists but is not validated yet
    "ALTER TABLE foo ADD CONSTRAINT baz_nn CHECK (baz IS NOT NULL) NOT VALID; "
    f"ALTER TABLE foo VALIDATE CONSTRAINT baz_nn; {SET_NN}",  # proves another column
    "ALTER TABLE foo ADD CONSTRAINT c CHECK (bar IS NOT NULL OR baz > 0) NOT VALID; "
    f"ALTER TABLE foo VALIDATE CONSTRAINT c; {SET_NN}",  # OR proves nothing
    f"{ADD_CHECK} {VALIDATE} ALTER TABLE foo DROP CONSTRAINT bar_nn; {SET_NN}",  # dropped again
    "ALTER TABLE foo ADD CONSTRAINT nn NOT NULL bar;",  # PostgreSQL 18 named NOT NULL
])
def test_flags_set_not_null_without_a_validated_check(sql):
    assert len(fired(sql, pg_version=18)) == 1


@pytest.mark.parametrize("sql", [
    f"{ADD_CHECK} {VALIDATE} {SET_NN}",
    "ALTER TABLE foo ADD CONSTRAINT c CHECK (bar IS NOT NULL AND baz IS NOT NULL) NOT VALID; "
    f"ALTER TABLE foo VALIDATE CONSTRAINT c; {SET_NN}",
    # validated in an earlier migration: we cannot see it, so we trust the VALIDATE
    f"ALTER TABLE foo VALIDATE CONSTRAINT foo_bar_not_null; {SET_NN}",
    # a validated CHECK added directly (check-missing-not-valid reports the scan)
    f"ALTER TABLE foo ADD CONSTRAINT c CHECK (bar IS NOT NULL); {SET_NN}",
    "CREATE TABLE foo (bar int); " + SET_NN,
    "ALTER TABLE foo ALTER COLUMN bar DROP NOT NULL;",
    "ALTER TABLE foo ADD CONSTRAINT nn NOT NULL bar NOT VALID;",
])
def test_allows_set_not_null_backed_by_a_validated_check(sql):
    assert fired(sql, pg_version=18) == []


def test_before_postgres_12_even_a_validated_check_does_not_help():
    sql = f"{ADD_CHECK} {VALIDATE} {SET_NN}"
    assert fired(sql, pg_version=12) == []
    (f,) = fired(sql, pg_version=11)
    assert "PostgreSQL 12" in f.message


def test_one_finding_per_column():
    sql = "ALTER TABLE t ALTER COLUMN a SET NOT NULL, ALTER COLUMN b SET NOT NULL;"
    assert [("t.a" in f.message, "t.b" in f.message) for f in fired(sql)] == [(True, False), (False, True)]
