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


# documenso/documenso@75330166cc00 packages/prisma/migrations/20250918070645_add_envelopes/migration.sql
# creates "Envelope", fills it with INSERT ... SELECT from "Document", then adds its foreign keys;
# MarquezProject/marquez@a89b89cad27f .../V31__alter_job_io_mapping.sql fills new tables with
# CREATE TABLE ... AS SELECT from a live one.
@pytest.mark.parametrize("sql", [
    'CREATE TABLE "Envelope" ("id" TEXT NOT NULL, "userId" INTEGER NOT NULL);'
    'INSERT INTO "Envelope" ("id", "userId") SELECT "id", "userId" FROM "Document";'
    'ALTER TABLE "Envelope" ADD CONSTRAINT "Envelope_userId_fkey" FOREIGN KEY ("userId") '
    'REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;',
    "create table job_versions_io_mapping_inputs as select * from job_versions_io_mapping "
    "where io_type = 'INPUT';"
    "alter table job_versions_io_mapping_inputs add constraint jvio_jv_fk foreign key "
    "(job_version_uuid) references job_versions (uuid);",
    "SELECT * INTO t2 FROM t; ALTER TABLE t2 ADD FOREIGN KEY (a) REFERENCES u (id);",
])
def test_flags_a_new_table_filled_from_live_tables(sql):
    (finding,) = lint_sql(sql, rules={RULE})
    assert "just filled by" in finding.message


@pytest.mark.parametrize("sql", [
    # empty new table, or filled only from other new tables, or referencing a new table
    "CREATE TABLE t2 (a int); ALTER TABLE t2 ADD FOREIGN KEY (a) REFERENCES u (id);",
    "CREATE TABLE t2 AS SELECT * FROM t WITH NO DATA; ALTER TABLE t2 ADD FOREIGN KEY (a) REFERENCES u (id);",
    "CREATE TABLE s (a int); CREATE TABLE t2 AS SELECT * FROM s; ALTER TABLE t2 ADD FOREIGN KEY (a) REFERENCES u (id);",
    "CREATE TABLE u (id int); CREATE TABLE t2 AS SELECT * FROM t; ALTER TABLE t2 ADD FOREIGN KEY (a) REFERENCES u (id);",
    "CREATE TABLE t2 (a int); INSERT INTO t2 VALUES (1); ALTER TABLE t2 ADD FOREIGN KEY (a) REFERENCES u (id);",
    "CREATE TABLE t2 AS SELECT * FROM t; ALTER TABLE t2 ADD FOREIGN KEY (a) REFERENCES u (id) NOT VALID;",
])
def test_leaves_empty_or_unrelated_new_tables_alone(sql):
    assert lint_sql(sql, rules={RULE}) == []
