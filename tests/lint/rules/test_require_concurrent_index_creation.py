import pytest

from migsmith.tools.lint import lint_sql

RULE = "require-concurrent-index-creation"


def fired(sql, **kw):
    return lint_sql(sql, rules={RULE}, **kw)


@pytest.mark.parametrize("sql", [
    "CREATE INDEX idx ON users (email);",
    "CREATE UNIQUE INDEX idx ON app.users (email);",
    "CREATE INDEX ON users (email);",
    "BEGIN; CREATE INDEX idx ON users (email); COMMIT;",
    # a table created in an *earlier file* is existing; another table created here does not help
    "CREATE TABLE other (id bigint); CREATE INDEX idx ON users (email);",
])
def test_flags_plain_index_on_existing_table(sql):
    assert [f.rule_id for f in fired(sql)] == [RULE]


@pytest.mark.parametrize("sql", [
    "CREATE INDEX CONCURRENTLY idx ON users (email);",
    "CREATE TABLE users (id bigint, email text); CREATE INDEX idx ON users (email);",
    "BEGIN; CREATE TABLE t (a int); CREATE INDEX ON t (a); COMMIT;",
    "CREATE TABLE s.t (a int); CREATE INDEX ON s.t (a);",
])
def test_allows_concurrent_or_new_table(sql):
    assert fired(sql) == []


def test_message_names_the_table_and_points_at_the_statement():
    (f,) = fired("SELECT 1;\n\n  CREATE INDEX idx ON users (email);")
    assert "users" in f.message and f.line == 3 and f.column == 3
    assert f.statement == "CREATE INDEX idx ON users (email)"
    assert f.severity == "error"
