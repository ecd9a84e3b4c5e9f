import pytest

from migsmith.tools.lint import lint_sql

RULE = "ban-exclusion-constraint"


def fired(sql, **kw):
    return lint_sql(sql, rules={RULE}, **kw)


def test_flags_exclusion_constraint_on_existing_table():
    (f,) = fired("ALTER TABLE authors ADD CONSTRAINT authors_name_excl EXCLUDE (name WITH =);")
    assert "authors_name_excl" in f.message


@pytest.mark.parametrize("sql", [
    "CREATE TABLE b (room int, during tstzrange, EXCLUDE USING gist (room WITH =, during WITH &&));",
    "CREATE TABLE b (r int); ALTER TABLE b ADD CONSTRAINT ex EXCLUDE (r WITH =);",
    "ALTER TABLE t ADD CONSTRAINT uq UNIQUE (a);",
])
def test_allows_new_tables_and_other_constraints(sql):
    assert fired(sql) == []
