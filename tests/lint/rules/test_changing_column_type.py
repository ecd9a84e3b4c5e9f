import pytest

from migsmith.tools.lint import lint_sql

RULE = "changing-column-type"


def fired(sql, **kw):
    return lint_sql(sql, rules={RULE}, **kw)


@pytest.mark.parametrize("sql", [
    'ALTER TABLE "core_recipe" ALTER COLUMN "edits" TYPE text USING "edits"::text;',
    "ALTER TABLE prices ALTER price SET DATA TYPE bigint;",
    # known old types that are not binary-compatible
    "ALTER TABLE t ADD COLUMN c int; COMMIT; ALTER TABLE t ALTER COLUMN c TYPE bigint;",
    "ALTER TABLE t ADD COLUMN c varchar(50); ALTER TABLE t ALTER COLUMN c TYPE varchar(20);",
    "ALTER TABLE t ADD COLUMN c numeric(10, 2); ALTER TABLE t ALTER COLUMN c TYPE numeric(12, 3);",
    "ALTER TABLE t ADD COLUMN c timestamp; ALTER TABLE t ALTER COLUMN c TYPE timestamptz;",
    "ALTER TABLE t ADD COLUMN c char(5); ALTER TABLE t ALTER COLUMN c TYPE text;",
    # a USING expression that changes values always rewrites
    "ALTER TABLE t ADD COLUMN c varchar(5); ALTER TABLE t ALTER COLUMN c TYPE text USING upper(c);",
])
def test_flags_rewriting_type_changes(sql):
    assert len(fired(sql)) == 1


@pytest.mark.parametrize("sql", [
    "ALTER TABLE t ADD COLUMN c varchar(50); ALTER TABLE t ALTER COLUMN c TYPE varchar(100);",
    "ALTER TABLE t ADD COLUMN c varchar(50); ALTER TABLE t ALTER COLUMN c TYPE text;",
    "ALTER TABLE t ADD COLUMN c varchar(50); ALTER TABLE t ALTER COLUMN c TYPE varchar;",
    "ALTER TABLE t ADD COLUMN c text; ALTER TABLE t ALTER COLUMN c TYPE varchar;",
    "ALTER TABLE t ADD COLUMN c varchar(50); ALTER TABLE t ALTER COLUMN c TYPE text USING c::text;",
    "ALTER TABLE t ADD COLUMN c numeric(10, 2); ALTER TABLE t ALTER COLUMN c TYPE numeric(12, 2);",
    "ALTER TABLE t ADD COLUMN c numeric(10, 2); ALTER TABLE t ALTER COLUMN c TYPE numeric;",
    "ALTER TABLE t ADD COLUMN c cidr; ALTER TABLE t ALTER COLUMN c TYPE inet;",
    "CREATE TABLE t (c int); ALTER TABLE t ALTER COLUMN c TYPE bigint;",  # new table
])
def test_allows_binary_compatible_changes(sql):
    assert fired(sql) == []


def test_unknown_old_type_says_how_to_proceed():
    (f,) = fired("ALTER TABLE t ALTER COLUMN c TYPE text;")
    assert "not visible" in f.message


def test_a_type_set_earlier_in_the_file_is_known():
    # the first change rewrites (old type unknown); varchar(255) -> text then is binary-compatible
    sql = ("BEGIN; ALTER TABLE r ALTER COLUMN foo TYPE varchar(255) USING foo::varchar(255);\n"
           "ALTER TABLE r ALTER COLUMN foo TYPE text USING foo::text; COMMIT;")
    assert [f.line for f in fired(sql)] == [1]
    assert len(fired(sql.replace("TYPE text USING foo::text", "TYPE int USING foo::int"))) == 2
