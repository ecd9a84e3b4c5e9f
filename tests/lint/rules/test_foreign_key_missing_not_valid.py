import pytest

from migsmith.tools.lint import lint_sql

RULE = "foreign-key-missing-not-valid"


def fired(sql, **kw):
    return lint_sql(sql, rules={RULE}, **kw)


@pytest.mark.parametrize("sql", [
    "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id);",
    "ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users;",
    "ALTER TABLE orders ADD COLUMN user_id bigint REFERENCES users (id);",
    "BEGIN; ALTER TABLE email ADD COLUMN user_id int; "
    "ALTER TABLE email ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id); COMMIT;",
])
def test_flags_validated_foreign_keys_on_existing_tables(sql):
    assert len(fired(sql)) == 1


@pytest.mark.parametrize("sql", [
    "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;",
    "ALTER TABLE orders VALIDATE CONSTRAINT fk;",
    "CREATE TABLE orders (id bigint, user_id bigint REFERENCES users (id));",
    'CREATE TABLE emails (id uuid, user_id uuid); '
    'ALTER TABLE emails ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id);',
    "ALTER TABLE orders ADD CONSTRAINT c CHECK (total > 0);",
])
def test_allows_not_valid_and_new_tables(sql):
    assert fired(sql) == []


def test_message_names_both_tables():
    (f,) = fired("ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (u) REFERENCES users (id);")
    assert "orders" in f.message and "users" in f.message
