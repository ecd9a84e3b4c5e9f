import pytest

from migsmith.tools.lint import lint_sql

RULE = "ban-drop-table"


def fired(sql, **kw):
    return lint_sql(sql, rules={RULE}, **kw)


@pytest.mark.parametrize("sql, dialect, count", [
    ('DROP TABLE "table_name";\nDROP TABLE IF EXISTS "table_name";\nDROP TABLE IF EXISTS "table_name"',
     "postgres", 3),
    ("DROP TABLE a, b;", "postgres", 2),
    ("DROP TABLE IF EXISTS t;", "mysql", 1),
    ("DROP TABLE t;", "sqlite", 1),
])
def test_flags_dropped_tables(sql, dialect, count):
    assert len(fired(sql, dialect=dialect)) == count


def test_copying_into_an_existing_table_does_not_excuse_the_drop():
    sql = "INSERT INTO archive SELECT * FROM posts; DROP TABLE posts;"
    assert len(fired(sql)) == 1


@pytest.mark.parametrize("sql, dialect", [
    ("DROP INDEX idx;", "postgres"),
    ("DROP VIEW v;", "postgres"),
    ("CREATE TABLE staging (a int); DROP TABLE staging;", "postgres"),
    ("CREATE TEMP TABLE s (a int); DROP TABLE s;", "postgres"),
    ("CREATE TABLE s (a int); DROP TABLE s;", "mysql"),
    ("DROP TABLE IF EXISTS temp.check_rows;", "sqlite"),
    ("DROP TABLE pg_temp.scratch;", "postgres"),
    ("DROP TEMPORARY TABLE scratch;", "mysql"),
    # SQLite's 12-step rebuild: new shape, rows copied, old dropped, new renamed into place
    ('CREATE TABLE "new_posts" (id integer, title text); '
     'INSERT INTO "new_posts" (id, title) SELECT id, title FROM "posts"; '
     'DROP TABLE "posts"; ALTER TABLE "new_posts" RENAME TO "posts";', "sqlite"),
    ("CREATE TABLE posts_v2 (LIKE posts); INSERT INTO posts_v2 SELECT * FROM posts; DROP TABLE posts;",
     "postgres"),
])
def test_allows_other_drops_and_tables_made_here(sql, dialect):
    assert fired(sql, dialect=dialect) == []


# The copy-then-drop that loses data: hatchet-dev/hatchet@89d130f303c9
# cmd/hatchet-migrate/migrate/migrations/20250602191423_v1_0_22.sql copies v1_events_olap into
# v1_events_olap_new with a WHERE on xmin, twice (the two halves), then drops the old table; with
# only one of the halves (or a LIMIT), rows are left behind.
@pytest.mark.parametrize("sql, why", [
    ("CREATE TABLE v1_events_olap_new (LIKE v1_events_olap);"
     "INSERT INTO v1_events_olap_new (tenant_id, external_id) SELECT tenant_id, external_id "
     "FROM v1_events_olap WHERE seen_at > now() - interval '30 days';"
     "DROP TABLE v1_events_olap;", "its WHERE may leave rows behind"),
    ("CREATE TABLE t2 (LIKE t); INSERT INTO t2 SELECT * FROM t ORDER BY id LIMIT 100000; DROP TABLE t;",
     "its LIMIT may leave rows behind"),
    ("CREATE TABLE t2 AS SELECT DISTINCT email FROM t; DROP TABLE t;", "its DISTINCT may leave rows behind"),
    # a column the file declared for the old table, which the copy does not read
    ("ALTER TABLE t ADD COLUMN email text; CREATE TABLE t2 (id bigint, name text, email text);"
     "INSERT INTO t2 (id, name) SELECT id, name FROM t; DROP TABLE t;", "it leaves out column email"),
])
def test_a_partial_copy_does_not_excuse_the_drop(sql, why):
    (finding,) = fired(sql)
    assert why in finding.message and "after copying it into" in finding.message


def test_a_copy_split_over_where_clauses_is_taken_as_complete():
    # hatchet 20250602191423_v1_0_22.sql: xmin < snapshot, then xmin >= snapshot
    sql = ("CREATE TABLE n (LIKE o);"
           "INSERT INTO n SELECT * FROM o WHERE xmin::text::bigint < 10;"
           "INSERT INTO n SELECT * FROM o WHERE xmin::text::bigint >= 10;"
           "DROP TABLE o;")
    assert fired(sql) == []


def test_a_complete_copy_beside_a_partial_one_excuses_the_drop():
    # dani-garcia/vaultwarden migrations/sqlite/2020-08-02-025025_add_favorites_table/up.sql: the
    # favourite rows go to a new table, then the 12-step rebuild copies every row into new_ciphers
    sql = ("CREATE TABLE favorites (user_uuid text, cipher_uuid text);"
           "INSERT INTO favorites(user_uuid, cipher_uuid) SELECT user_uuid, uuid FROM ciphers WHERE favorite = 1;"
           "CREATE TABLE new_ciphers (uuid text, name text);"
           "INSERT INTO new_ciphers (uuid, name) SELECT uuid, name FROM ciphers;"
           "DROP TABLE ciphers;")
    assert fired(sql, dialect="sqlite") == []
