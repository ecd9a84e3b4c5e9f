import pytest

from migsmith.tools.lint import lint_sql

RULE = "unbatched-data-change"


def fired(sql, **kw):
    return lint_sql(sql, rules={RULE}, **kw)


@pytest.mark.parametrize("sql", [
    "UPDATE prices SET new_price = price::bigint;",
    "DELETE FROM events;",
    "UPDATE users SET email_verified = true WHERE email_confirmed_at IS NOT NULL;",
    "UPDATE posts SET created_at = created WHERE created_at IS NULL;",
    "UPDATE t SET a = 1 WHERE id > 1000;",  # one-sided range: everything above 1000
    "UPDATE t SET a = 1 FROM u WHERE t.id = u.id;",  # a join is not a bound
    "DELETE FROM t WHERE id >= 1 AND other < 10;",  # bounds on different columns
])
def test_flags_unbounded_changes(sql):
    assert len(fired(sql)) == 1


@pytest.mark.parametrize("sql", [
    "UPDATE t SET a = 1 WHERE id BETWEEN 1 AND 1000;",
    "UPDATE t SET a = 1 WHERE id >= 1 AND id < 1001 AND a IS NULL;",
    "UPDATE t SET a = 1 WHERE 1000 > id AND id >= 1;",
    "UPDATE alembic_version SET version_num = 'b' WHERE alembic_version.version_num = 'a';",
    "DELETE FROM t WHERE id IN (1, 2, 3);",
    "DELETE FROM t WHERE id = ANY($1);",
    "UPDATE t SET a = 1 WHERE id IN (SELECT id FROM t WHERE a IS NULL LIMIT 1000);",
    "WITH batch AS (SELECT id FROM users WHERE x IS NULL LIMIT 1000 FOR UPDATE SKIP LOCKED) "
    "UPDATE users SET x = 1 FROM batch WHERE users.id = batch.id;",
    "CREATE TABLE t (a int); UPDATE t SET a = 1;",  # new table
    "INSERT INTO t SELECT * FROM u;",
])
def test_allows_batched_changes(sql):
    assert fired(sql) == []


def test_message_distinguishes_missing_where():
    assert "without WHERE" in fired("DELETE FROM events;")[0].message
    assert "no key range" in fired("DELETE FROM events WHERE kind = kind;")[0].message
