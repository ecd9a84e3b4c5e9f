import pytest

from migsmith.tools.lint import lint_sql

RULE = "require-lock-timeout"
ALTER = "ALTER TABLE t ADD COLUMN c boolean;"


def fired(sql, **kw):
    return lint_sql(sql, rules={RULE}, **kw)


@pytest.mark.parametrize("sql, assume", [
    (ALTER, False),
    (f"{ALTER}\nSET lock_timeout = '1s';", False),  # set too late
    (f"SET foo.lock_timeout = '1s'; {ALTER}", False),  # a different (custom) setting
    (f"SET lock_timeout = 0; {ALTER}", False),  # 0 disables the timeout
    (f"SET lock_timeout = '0s'; {ALTER}", False),
    (f"SET lock_timeout = '1s'; RESET lock_timeout; {ALTER}", False),
    (f"SET lock_timeout = '1s'; SET lock_timeout TO DEFAULT; {ALTER}", False),
    (f"SET lock_timeout = '1s'; RESET ALL; {ALTER}", False),
    (f"SET LOCAL lock_timeout = '1s'; {ALTER}", False),  # SET LOCAL outside a block does nothing
    (f"BEGIN; SET LOCAL lock_timeout = '1s'; COMMIT; {ALTER}", False),  # gone with the block
    (f"BEGIN; SET lock_timeout = '1s'; ROLLBACK; {ALTER}", False),  # undone by the rollback
    ("CREATE INDEX idx ON t (c);", False),  # SHARE blocks writes
    ("ALTER TABLE o ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES users (id) NOT VALID;", False),
    ("CREATE TABLE n (id bigint, u bigint REFERENCES users (id));", False),  # locks users
    ("DROP TABLE t;", False),
    ("LOCK TABLE t IN SHARE MODE;", False),
    ("VACUUM FULL t;", False),
])
def test_flags_blocking_locks_without_timeout(sql, assume):
    assert len(fired(sql, assume_in_transaction=assume)) == 1


@pytest.mark.parametrize("sql, assume", [
    (f"SET lock_timeout = '1s'; {ALTER}", False),
    (f"SET Lock_Timeout = '1s'; {ALTER}", False),
    (f"SET lock_timeout TO 500; {ALTER}", False),
    (f"SET LOCAL lock_timeout = '1s'; {ALTER}", True),
    (f"BEGIN; SET LOCAL lock_timeout = '1s'; {ALTER} COMMIT;", False),
    (f"BEGIN; SET lock_timeout = '1s'; COMMIT; {ALTER}", False),  # a committed session SET stays
    (f"SELECT set_config('lock_timeout', '2s', false); {ALTER}", False),
    ("CREATE INDEX CONCURRENTLY idx ON t (c);", False),  # does not block reads or writes
    ("ALTER TABLE t VALIDATE CONSTRAINT c;", False),
    ("CREATE TABLE t (id bigint); ALTER TABLE t ADD COLUMN c int;", False),  # new table
    ("SELECT * FROM t;", False),
    ("UPDATE t SET a = 1 WHERE id = 1;", False),
    ("COMMENT ON COLUMN t.c IS 'x';", False),
    ("CREATE TYPE mood AS ENUM ('sad', 'ok');", False),
    ("LOCK TABLE t IN ACCESS SHARE MODE;", False),
])
def test_allows_timeouts_and_harmless_locks(sql, assume):
    assert fired(sql, assume_in_transaction=assume) == []


def test_a_lock_already_held_by_the_transaction_is_not_waited_for_again():
    sql = f"BEGIN; {ALTER} ALTER TABLE t ADD COLUMN d int; COMMIT;"
    assert [f.line for f in fired(sql)] == [1]
    assert len(fired(sql.replace("BEGIN;", "").replace("COMMIT;", ""))) == 2


def test_message_names_lock_and_table():
    (f,) = fired("DROP INDEX idx;")
    assert "ACCESS EXCLUSIVE" in f.message and "index idx" in f.message
