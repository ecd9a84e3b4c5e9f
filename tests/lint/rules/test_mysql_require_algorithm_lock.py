import pytest

from migsmith.tools.lint import lint_sql

RULE = "mysql-require-algorithm-lock"


def fired(sql, **kw):
    return lint_sql(sql, dialect="mysql", rules={RULE}, **kw)


@pytest.mark.parametrize("sql", [
    "ALTER TABLE t ADD COLUMN c INT;",
    "ALTER TABLE t ADD COLUMN c INT, ALGORITHM=INPLACE;",
    "ALTER TABLE t ADD INDEX idx (c), LOCK=NONE;",
    "ALTER TABLE t MODIFY COLUMN c BIGINT, ALGORITHM=COPY, LOCK=SHARED;",
    "ALTER TABLE t ADD COLUMN c INT, ALGORITHM=INPLACE, LOCK=EXCLUSIVE;",
    "CREATE INDEX idx ON t (c);",
    "CREATE UNIQUE INDEX idx ON t (c) LOCK=NONE;",
    "DROP INDEX idx ON t;",
    "ALTER TABLE t ADD INDEX IF NOT EXISTS i (c);",  # MariaDB syntax sqlglot keeps as a raw command
])
def test_flags_alters_without_explicit_online_options(sql):
    assert len(fired(sql)) == 1


@pytest.mark.parametrize("sql", [
    "ALTER TABLE t ADD COLUMN c INT, ALGORITHM=INSTANT;",
    "ALTER TABLE t ALGORITHM=INSTANT, ADD COLUMN c INT;",
    "ALTER TABLE t ADD INDEX idx (c), ALGORITHM=INPLACE, LOCK=NONE;",
    "CREATE UNIQUE INDEX idx ON t (c) ALGORITHM=INPLACE LOCK=NONE;",
    "CREATE TABLE t (a INT); ALTER TABLE t ADD COLUMN c INT;",
    "CREATE TABLE t (a INT); CREATE INDEX idx ON t (a); DROP INDEX idx ON t;",
    "UPDATE t SET a = 1 WHERE id = 1;",
    "ALTER TABLE t ADD INDEX IF NOT EXISTS i (c), ALGORITHM=INPLACE, LOCK=NONE;",
])
def test_allows_explicit_online_alters(sql):
    assert fired(sql) == []


def test_only_runs_for_mysql():
    assert lint_sql("ALTER TABLE t ADD COLUMN c INT;", dialect="sqlite", rules={RULE}) == []
