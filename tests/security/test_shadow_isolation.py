"""Issue 10, defects 4 and 5: what a schema file and a plan can reach on the shadow, and what
``--shadow-db`` may change. The schema and the plan run as an unprivileged role that owns the
shadow database; ``--shadow-db`` verifies only in a database migsmith made, or in a throwaway
schema no name of the plan leaves; the refusal of databases holding unknown tables matches
names literally."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import psycopg
import pytest
from hostile_helpers import SCHEMA, make_plan, step_path
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from migsmith.tools.errors import MigsmithError
from migsmith.tools.proving.verify import verify_plan_dir

pytestmark = pytest.mark.postgres

ADD_COLUMN = {"operations": [{"op": "add_column", "table": "users",
                              "column": {"name": "nickname", "type": "text"}}]}


def _marker() -> Path:
    # /tmp is writable by the server's system user too: a statement that reached the host
    # would leave this file behind.
    return Path("/tmp") / f"migsmith-hostile-{uuid.uuid4().hex[:12]}"


HOSTILE_SCHEMA_TAILS = [
    "COPY (SELECT 1) TO PROGRAM 'touch {marker}';",
    "COPY (SELECT 'x') TO '{marker}';",
    "SELECT lo_export(lo_from_bytea(0, 'x'), '{marker}');",
    "DO $$ BEGIN EXECUTE 'COPY (SELECT 1) TO PROGRAM ''touch {marker}'''; END $$;",
    "CREATE TABLE leak AS SELECT pg_read_file('/etc/hostname') AS t;",
    "ALTER SYSTEM SET work_mem = '1GB';",
    "CREATE ROLE evil SUPERUSER;",
    "RESET ROLE; RESET SESSION AUTHORIZATION; COPY (SELECT 1) TO PROGRAM 'touch {marker}';",
]


@pytest.mark.parametrize("tail", HOSTILE_SCHEMA_TAILS)
def test_a_hostile_schema_file_cannot_reach_the_host(tmp_path, pg_server_url, tail):
    """Defect 4: ``COPY ... TO PROGRAM`` appended to a --schema file ran as a superuser."""
    marker = _marker()
    schema = tmp_path / "schema.sql"
    schema.write_text(SCHEMA.read_text() + "\n" + tail.format(marker=marker) + "\n")
    plan_dir = make_plan(ADD_COLUMN, tmp_path / "plan")
    try:
        with pytest.raises(MigsmithError, match="permission denied|must be superuser|"
                                                 "only superuser|not have permission"):
            verify_plan_dir(plan_dir, str(schema), server_url=pg_server_url, rows=10,
                            write=False)
        assert not marker.exists()
    finally:
        marker.unlink(missing_ok=True)


def test_a_hostile_step_file_cannot_reach_the_host(tmp_path, pg_server_url):
    marker = _marker()
    plan_dir = make_plan(ADD_COLUMN, tmp_path / "plan")
    up = step_path(plan_dir, 1, "up")
    up.write_text(up.read_text().replace(
        "COMMIT;", f"COPY (SELECT 1) TO PROGRAM 'touch {marker}';\nCOMMIT;"))
    try:
        report = verify_plan_dir(plan_dir, str(SCHEMA), server_url=pg_server_url, rows=10,
                                 write=False)
        assert not report.ok and "permission denied" in report.plan.errors[0]
        assert not marker.exists()
    finally:
        marker.unlink(missing_ok=True)


def test_the_schema_and_the_plan_run_as_the_databases_unprivileged_owner(tmp_path,
                                                                         pg_server_url):
    from migsmith.tools.proving.shadow import open_shadow

    with open_shadow("postgres", server_url=pg_server_url) as shadow:
        with shadow.database("t") as db, shadow.session(db) as session:
            row = session.conn.execute(
                "SELECT r.rolsuper, r.rolcreatedb, r.rolcreaterole, d.datdba = r.oid "
                "FROM pg_roles r, pg_database d WHERE r.rolname = current_user "
                "AND d.datname = current_database()").fetchone()
            assert row == (False, False, False, True)
            role = session.conn.execute("SELECT current_user").fetchone()[0]
    with psycopg.connect(pg_server_url) as conn:  # dropped with its database
        assert conn.execute("SELECT count(*) FROM pg_roles WHERE rolname = %s",
                            (role,)).fetchone() == (0,)


@pytest.fixture(scope="module")
def contrib_server_url():
    """A PostgreSQL with contrib (Debian's), started for these tests; skipped without one."""
    import glob

    from migsmith.tools.proving.shadow import postgres as pg

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        pytest.skip("no PostgreSQL with contrib extensions here (Debian's postgresql)")
    bin_dir = Path(found[-1]).parent
    user = pg._system_user("postgres") if pg._is_root() else None
    shadow = pg._start_cluster(str(bin_dir / "initdb"), str(bin_dir / "pg_ctl"), user)
    try:
        yield shadow.server_url
    finally:
        shadow.close()


def _available(url: str, names: list[str], trusted: bool) -> list[str]:
    with psycopg.connect(url) as conn:
        return [r[0] for r in conn.execute(
            "SELECT name FROM pg_available_extension_versions WHERE name = ANY(%s) "
            "GROUP BY name HAVING bool_or(trusted) = %s ORDER BY 1", (names, trusted))]


def test_trusted_extensions_still_install(tmp_path, contrib_server_url):
    trusted = _available(contrib_server_url, ["pgcrypto", "pg_trgm", "citext"], True)
    if not trusted:
        pytest.skip("this server has no trusted contrib extension to create")
    schema = tmp_path / "schema.sql"
    schema.write_text(f"CREATE EXTENSION {trusted[0]};\n" + SCHEMA.read_text())
    report = verify_plan_dir(make_plan(ADD_COLUMN, tmp_path / "plan"), str(schema),
                             server_url=contrib_server_url, rows=10, write=False)
    assert report.ok, report.plan.problems()


def test_untrusted_extensions_and_owner_statements_of_a_dump_still_load(tmp_path,
                                                                        contrib_server_url):
    """pg_dump output creates untrusted extensions and hands objects to their owners; the
    owner role can do neither, so the server connection creates the extension first (from
    the server's own scripts) and OWNER TO statements are left out."""
    untrusted = _available(contrib_server_url, ["postgis", "pg_partman", "pgstattuple"], False)
    if not untrusted:
        pytest.skip("this server has no untrusted extension to create")
    schema = tmp_path / "schema.sql"
    schema.write_text(f"CREATE EXTENSION IF NOT EXISTS {untrusted[0]} WITH SCHEMA public;\n"
                      f"COMMENT ON EXTENSION {untrusted[0]} IS 'from a dump';\n"
                      + SCHEMA.read_text() + "\nALTER TABLE public.users OWNER TO postgres;\n")
    report = verify_plan_dir(make_plan(ADD_COLUMN, tmp_path / "plan"), str(schema),
                             server_url=contrib_server_url, rows=10, write=False)
    assert report.ok, report.plan.problems()


@pytest.fixture()
def nocreatedb_url(pg_url):
    """A role that may not create databases, on a database holding the example schema's
    users table with real rows (what --shadow-db must never change)."""
    dbname = conninfo_to_dict(pg_url)["dbname"]
    role = "nocreate_" + dbname[-8:]
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(SCHEMA.read_text())
        conn.execute("INSERT INTO users (email, name) SELECT 'u' || g || '@x', 'name ' || g "
                     "FROM generate_series(1, 500) g")
        conn.execute(f'CREATE ROLE "{role}" LOGIN NOCREATEDB')
        conn.execute(f'GRANT CREATE ON DATABASE "{dbname}" TO "{role}"')
        conn.execute(f'GRANT ALL ON ALL TABLES IN SCHEMA public TO "{role}"')
    try:
        yield make_conninfo(pg_url, user=role)
    finally:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(f'DROP OWNED BY "{role}"')
            conn.execute(f'DROP ROLE "{role}"')


def _users_snapshot(pg_url):
    with psycopg.connect(pg_url) as conn:
        cols = [r[0] for r in conn.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = 'public.users'::regclass "
            "AND attnum > 0 AND NOT attisdropped ORDER BY attnum")]
        rows = conn.execute("SELECT count(*), count(name), md5(string_agg(name, ',' ORDER BY "
                            "id)) FROM public.users").fetchone()
        schemas = conn.execute("SELECT count(*) FROM pg_namespace WHERE nspname LIKE "
                               "'migsmith%'").fetchone()[0]
    return cols, rows, schemas


DROP_NAME = {"operations": [{"op": "drop_column", "table": "public.users", "column": "name"}],
             "options": {"allow_data_loss": True}}
ADD_LEFTOVER = {"operations": [{"op": "add_column", "table": "public.users",
                                "column": {"name": "leftover", "type": "text"}}]}


@pytest.mark.parametrize("spec", [DROP_NAME, ADD_LEFTOVER], ids=["drop_column", "add_column"])
def test_shadow_db_schema_mode_never_reaches_the_real_tables(tmp_path, pg_url, nocreatedb_url,
                                                             spec):
    """Defect 5: in a throwaway schema, ``public.users`` reached the real table: a drop-column
    verification removed its values, an add-column left a column behind. Names of existing
    tables are now written as the schema spells them (``users``), which the pinned search_path
    resolves inside the throwaway schema."""
    before = _users_snapshot(pg_url)
    report = verify_plan_dir(make_plan(spec, tmp_path / "plan"), str(SCHEMA),
                             shadow_url=nocreatedb_url, rows=50, force=True, write=False)
    assert report.ok, report.plan.problems()
    assert _users_snapshot(pg_url) == before


@pytest.mark.parametrize("spec", [DROP_NAME, ADD_LEFTOVER], ids=["drop_column", "add_column"])
def test_shadow_db_schema_mode_refuses_a_step_that_names_another_schema(tmp_path, pg_url,
                                                                        nocreatedb_url, spec):
    """The same with the qualified name written into the step files by hand: refused before
    anything runs there."""
    before = _users_snapshot(pg_url)
    plan_dir = make_plan(spec, tmp_path / "plan")
    for path in plan_dir.glob("*.sql"):
        path.write_text(path.read_text().replace('"users"', '"public"."users"'))
    with pytest.raises(MigsmithError, match="names schema 'public'"):
        verify_plan_dir(plan_dir, str(SCHEMA), shadow_url=nocreatedb_url, rows=50, force=True,
                        write=False)
    assert _users_snapshot(pg_url) == before


def test_shadow_db_schema_mode_refuses_a_schema_file_that_leaves_it(tmp_path, pg_url,
                                                                    nocreatedb_url):
    before = _users_snapshot(pg_url)
    schema = tmp_path / "schema.sql"
    schema.write_text(SCHEMA.read_text() + "\nSET search_path = public;\n"
                      "ALTER TABLE users DROP COLUMN name;\n")
    plan_dir = make_plan(ADD_COLUMN, tmp_path / "plan")
    with pytest.raises(MigsmithError, match="search_path"):
        verify_plan_dir(plan_dir, str(schema), shadow_url=nocreatedb_url, rows=50, force=True,
                        write=False)
    assert _users_snapshot(pg_url) == before


def test_shadow_db_schema_mode_with_unqualified_names_still_verifies(tmp_path, pg_url,
                                                                    nocreatedb_url):
    before = _users_snapshot(pg_url)
    report = verify_plan_dir(make_plan(ADD_COLUMN, tmp_path / "plan"), str(SCHEMA),
                             shadow_url=nocreatedb_url, rows=50, force=True, write=False)
    assert report.ok, report.plan.problems()
    assert _users_snapshot(pg_url) == before


@pytest.mark.parametrize("schema_name", ["pgsales", "pg0x", "migsmithx", "migsmith_sales"])
def test_unknown_tables_are_matched_literally(tmp_path, pg_url, schema_name):
    """Defect 5: ``NOT LIKE 'pg_%'`` let ``pgsales.invoices`` pass ("_" is a wildcard)."""
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema_name}"')
        conn.execute(f'CREATE TABLE "{schema_name}".invoices (id int)')
    plan_dir = make_plan(ADD_COLUMN, tmp_path / "plan")
    with pytest.raises(MigsmithError, match=f"{schema_name}.invoices"):
        verify_plan_dir(plan_dir, str(SCHEMA), shadow_url=pg_url, rows=10, write=False)


# ------------------------------------------------------------------------- MySQL / MariaDB
@pytest.mark.mariadb
def test_mysql_shadow_server_url_without_a_database_is_checked(tmp_path, mariadb_server_url):
    """Defect 5: a MySQL --shadow-db URL without a database skipped the check and created a
    database on a server holding ``prod``."""
    from migsmith.tools.schema.live_mysql import connect_mysql

    conn = connect_mysql(mariadb_server_url, database="")
    name = f"prod_{uuid.uuid4().hex[:8]}"
    try:
        with conn.cursor() as cur:
            cur.execute(f"CREATE DATABASE `{name}`")
            cur.execute("SHOW DATABASES")
            # others' tests share this server: their throwaway databases come and go
            before = {r[0] for r in cur.fetchall() if not r[0].startswith("migsmith_")}
        schema = Path(__file__).resolve().parents[2] / "examples" / "schema_mysql.sql"
        plan_dir = make_plan({**ADD_COLUMN, "options": {"dialect": "mysql"}}, tmp_path / "plan",
                             schema=schema, dialect="mysql")
        with pytest.raises(MigsmithError, match="holds databases"):
            verify_plan_dir(plan_dir, str(schema), shadow_url=mariadb_server_url, rows=10,
                            write=False)
        with conn.cursor() as cur:
            cur.execute("SHOW DATABASES")
            assert {r[0] for r in cur.fetchall() if not r[0].startswith("migsmith_")} == before
    finally:
        with conn.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
        conn.close()


@pytest.mark.mariadb
def test_mysql_shadow_account_cannot_write_files(tmp_path, mariadb_server_url):
    """The schema and the plan run as an account with privileges on its database only: no
    FILE, so no ``INTO OUTFILE`` (the server's secure_file_priv is empty here)."""
    from migsmith.tools.proving.shadow.mysql import MySQLShadow

    marker = _marker()
    base = Path(__file__).resolve().parents[2] / "examples" / "schema_mysql.sql"
    shadow = MySQLShadow(mariadb_server_url)
    try:
        with shadow.database("t") as db, shadow.session(db) as session:
            with pytest.raises(MigsmithError, match="Access denied"):
                session.load(base.read_text() + f"\nSELECT 'x' INTO OUTFILE '{marker}';\n",
                             "schema.sql")
            with session.conn.cursor() as cur:
                cur.execute("SHOW GRANTS FOR CURRENT_USER()")
                grants = [r[0] for r in cur.fetchall()]
        assert not any("ON *.*" in g and "USAGE" not in g for g in grants), grants
        assert not marker.exists()
    finally:
        marker.unlink(missing_ok=True)


@pytest.mark.mariadb
def test_mysql_db_session_is_read_only(mariadb_server_url, monkeypatch):
    """Defect 10: the MySQL --db session was not set read-only."""
    from migsmith.tools.proving.shadow.mysql import MySQLShadow
    from migsmith.tools.schema import live_mysql

    attempts = []

    def writes(conn, **kwargs):
        with conn.cursor() as cur:
            try:
                cur.execute("CREATE TABLE written (id int)")
                cur.execute("INSERT INTO written VALUES (1)")
                attempts.append("wrote")
            except Exception as exc:  # noqa: BLE001 - the point: the server refuses
                attempts.append(str(exc))
        return None

    with MySQLShadow(mariadb_server_url).database("t") as db:
        monkeypatch.setattr(live_mysql, "schema_from_connection", writes)
        live_mysql.load_mysql_schema(db.url)
    assert attempts and "READ ONLY" in attempts[0].upper(), attempts


# ------------------------------------------------------------------------- SQLite
@pytest.mark.parametrize("tail", [
    "ATTACH DATABASE '{marker}' AS x; CREATE TABLE x.t (a);",
    "VACUUM INTO '{marker}';",
])
def test_sqlite_hostile_schema_file_cannot_write_other_files(tmp_path, tail):
    """ATTACH (and VACUUM INTO, which attaches its target) is refused by the shadow session's
    authorizer; the schema reader refuses VACUUM INTO even earlier."""
    marker = _marker()
    base = Path(__file__).resolve().parents[2] / "examples" / "schema_sqlite.sql"
    schema = tmp_path / "schema.sql"
    schema.write_text(base.read_text() + "\n" + tail.format(marker=marker) + "\n")
    plan_dir = make_plan({**ADD_COLUMN, "options": {"dialect": "sqlite"}}, tmp_path / "plan",
                         schema=base, dialect="sqlite")
    try:
        with pytest.raises(MigsmithError):
            verify_plan_dir(plan_dir, str(schema), rows=10, write=False)
        assert not marker.exists()
    finally:
        marker.unlink(missing_ok=True)


def test_sqlite_shadow_session_refuses_attach(tmp_path):
    from migsmith.tools.proving.shadow.sqlite import SqliteShadow

    marker = _marker()
    with SqliteShadow() as shadow, shadow.database("t") as db, shadow.session(db) as session:
        for statement in (f"ATTACH DATABASE '{marker}' AS x;", f"VACUUM INTO '{marker}';"):
            with pytest.raises(MigsmithError, match="not authorized|authorization denied"):
                session.apply(statement, file="hostile.sql")
    assert not marker.exists()


@pytest.mark.parametrize("extension", ["dblink", "file_fdw", "adminpack", "postgres_fdw"])
def test_extensions_that_reach_out_are_not_created_for_a_schema_file(tmp_path,
                                                                     contrib_server_url,
                                                                     extension):
    if not _available(contrib_server_url, [extension], False):
        pytest.skip(f"{extension} is not available here")
    schema = tmp_path / "schema.sql"
    schema.write_text(f"CREATE EXTENSION {extension};\n" + SCHEMA.read_text())
    with pytest.raises(MigsmithError, match="permission denied|must be superuser|only superuser"):
        verify_plan_dir(make_plan(ADD_COLUMN, tmp_path / "plan"), str(schema),
                        server_url=contrib_server_url, rows=10, write=False)
