"""MySQL and SQLite schemas from DDL files (sqlglot) and from live databases (information_schema,
pragmas), and clear errors for DDL of the wrong dialect."""

from __future__ import annotations

from pathlib import Path

import pytest

from dialect_roundtrip import run_mysql, run_sqlite
from migsmith.tools.dialects.mysql import split_script
from migsmith.tools.errors import SchemaError
from migsmith.tools.schema import load_ddl, load_schema

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def _shape(schema):
    """What both loaders must agree on: tables, column names/nullability, index and key names."""
    return {name: (sorted((c.name, c.nullable) for c in t.columns),
                   sorted(i.name for i in t.indexes),
                   sorted((c.kind, tuple(c.columns)) for c in t.constraints if c.kind != "check"))
            for name, t in schema.tables.items()}


def test_mysql_ddl_file_reads_sizes_keys_and_indexes():
    schema = load_schema(str(EXAMPLES / "schema_mysql.sql"), "mysql")
    assert schema.dialect == "mysql"
    assert {t: schema.table(t).row_estimate for t in schema.tables} == {
        "orgs": 10_000, "users": 1_200_000, "posts": 4_500_000, "comments": 9_000_000}
    posts = schema.table("posts")
    assert posts.primary_key == ["id"] and posts.column("id").identity
    assert posts.column("created").default.upper().startswith("CURRENT_TIMESTAMP")
    assert {i.name for i in posts.indexes} == {"PRIMARY", "posts_user_id_idx", "posts_created_idx"}
    fk = posts.constraint_named("posts_user_id_fkey")
    assert fk.ref_table == "users" and fk.ref_columns == ["id"]


def test_sqlite_ddl_file_keeps_declared_types():
    schema = load_schema(str(EXAMPLES / "schema_sqlite.sql"), "sqlite")
    posts = schema.table("posts")
    assert posts.column("status").type == "varchar(20)"
    assert posts.column("id").identity and posts.row_estimate == 4_500_000
    assert schema.table("users").constraints[1].kind == "foreign_key"


@pytest.mark.parametrize("text,dialect,needle", [
    ((EXAMPLES / "schema.sql").read_text(), "mysql", "looks like PostgreSQL DDL"),
    ((EXAMPLES / "schema.sql").read_text(), "sqlite", "looks like PostgreSQL DDL"),
    ((EXAMPLES / "schema_mysql.sql").read_text(), "sqlite", "looks like MySQL/MariaDB DDL"),
    ((EXAMPLES / "schema_mysql.sql").read_text(), "postgres", "looks like MySQL/MariaDB DDL"),
    ("CREATE TABLE t (id int, x int DEFAULT 0::int);", "mysql", "'::'"),
    ("CREATE TABLE t (id int", "mysql", "does not parse as mysql"),
])
def test_wrong_dialect_is_reported_clearly(text, dialect, needle):
    with pytest.raises(SchemaError) as err:
        load_ddl(text, dialect, source="schema.sql")
    assert needle in err.value.message and "\n" not in err.value.message


def test_comments_and_strings_do_not_trigger_the_dialect_guess():
    schema = load_ddl("-- ported from a serial/timestamptz schema\n"
                      "CREATE TABLE t (id int PRIMARY KEY, note text DEFAULT 'bigserial::x');",
                      "mysql")
    assert schema.table("t").column("note").default == "'bigserial::x'"


def test_split_script_honours_delimiter_quotes_and_comments():
    sql = ("SET @a = 'x;y'; -- a comment; with semicolons\n"
           "DELIMITER $$\nCREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END$$\nDELIMITER ;\n"
           "CALL p(); /* block; comment */ SELECT `weird;name` FROM t;")
    assert split_script(sql) == ["SET @a = 'x;y'",
                                 "CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END",
                                 "CALL p()", "SELECT `weird;name` FROM t"]


@pytest.mark.mariadb
def test_live_mysql_schema_matches_the_ddl_file(mysql_conn, mysql_url):
    run_mysql(mysql_conn, (EXAMPLES / "schema_mysql.sql").read_text())
    live = load_schema(mysql_url, "mysql")
    ddl = load_schema(str(EXAMPLES / "schema_mysql.sql"), "mysql")
    assert _shape(live) == _shape(ddl)
    assert live.table("posts").column("views").default == "0"
    assert live.table("posts").column("id").identity
    assert "***" in live.source and "migsmith:migsmith" not in live.source


@pytest.mark.mariadb
def test_live_mysql_bad_url_is_one_line_without_password(mariadb_server_url):
    url = mariadb_server_url.replace("migsmith:migsmith@", "migsmith:wrongpw@") + "nosuchdb"
    with pytest.raises(SchemaError) as err:
        load_schema(url, "mysql")
    assert "wrongpw" not in str(err.value) and "\n" not in str(err.value)


def test_live_sqlite_schema_matches_the_ddl_file(sqlite_conn, sqlite_path):
    run_sqlite(sqlite_conn, (EXAMPLES / "schema_sqlite.sql").read_text())
    run_sqlite(sqlite_conn, "INSERT INTO orgs (name) VALUES ('a'), ('b');")
    live = load_schema(f"sqlite:///{sqlite_path}", "sqlite")
    ddl = load_schema(str(EXAMPLES / "schema_sqlite.sql"), "sqlite")
    assert _shape(live) == _shape(ddl)
    assert live.table("orgs").row_estimate == 2
    assert live.table("posts").column("status").type == "varchar(20)"


def test_live_sqlite_missing_file_is_reported(tmp_path):
    with pytest.raises(SchemaError, match="not found"):
        load_schema(f"sqlite:///{tmp_path}/missing.db", "sqlite")


@pytest.mark.mariadb
def test_mysql_shadow_makes_and_drops_databases(mariadb_server_url):
    from migsmith.tools.schema.live_mysql import connect_mysql
    from migsmith.tools.proving.shadow import open_shadow

    shadow = open_shadow("mysql", server_url=mariadb_server_url)
    with shadow.database("probe") as db:
        conn = connect_mysql(db.url)
        run_mysql(conn, "CREATE TABLE t (id int PRIMARY KEY)")
        conn.close()
        name = db.name
    conn = connect_mysql(mariadb_server_url)
    with conn.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = %s", (name,))
        assert cur.fetchone()[0] == 0
    conn.close()


@pytest.mark.mariadb
def test_mysql_shadow_refuses_a_database_with_unknown_tables(mysql_conn, mysql_url):
    from migsmith.tools.proving.shadow import ShadowError, open_shadow

    run_mysql(mysql_conn, "CREATE TABLE invoices (id int PRIMARY KEY)")
    with pytest.raises(ShadowError, match="invoices"):
        open_shadow("mysql", shadow_url=mysql_url, described_tables={"users"})
    assert open_shadow("mysql", shadow_url=mysql_url, described_tables={"invoices"})


@pytest.mark.mariadb
def test_mysql_ddl_dump_recreates_the_same_catalog(mysql_conn, mariadb_server_url):
    from migsmith.tools.proving.catalog_mysql_sqlite import snapshot_mysql
    from migsmith.tools.schema.live_mysql import connect_mysql, dump_mysql_ddl
    from migsmith.tools.proving.shadow.mysql import MySQLShadow

    run_mysql(mysql_conn, (EXAMPLES / "schema_mysql.sql").read_text()
              + "CREATE VIEW recent AS SELECT id, title FROM posts;")
    with MySQLShadow(mariadb_server_url).database("copy") as db:
        copy = connect_mysql(db.url)
        run_mysql(copy, dump_mysql_ddl(mysql_conn))
        assert snapshot_mysql(copy) == snapshot_mysql(mysql_conn)
        copy.close()


def test_sqlite_ddl_dump_recreates_the_same_catalog(sqlite_conn):
    import sqlite3

    from migsmith.tools.proving.catalog_mysql_sqlite import snapshot_sqlite
    from migsmith.tools.schema.live_sqlite import dump_sqlite_ddl

    run_sqlite(sqlite_conn, (EXAMPLES / "schema_sqlite.sql").read_text()
               + "CREATE VIEW recent AS SELECT id, title FROM posts;")
    copy = sqlite3.connect(":memory:", isolation_level=None)
    copy.executescript(dump_sqlite_ddl(sqlite_conn))
    assert snapshot_sqlite(copy) == snapshot_sqlite(sqlite_conn)
