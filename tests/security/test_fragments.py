"""Issue 10, defects 1 and 3 (and the names of 10): what a spec's types, expressions and names
can put into SQL. A type is exactly one type re-emitted from the parse tree (quoted names come
back quoted or are refused); an expression calls only functions on the allow-list."""

from __future__ import annotations

import pytest
from hostile_helpers import SCHEMA, assert_refused, run, write_spec

from migsmith.tools.errors import SpecError
from migsmith.tools.spec.expressions import check_expression, check_type, is_volatile
from migsmith.tools.spec.identifiers import check_identifier

# Defect 1: each of these put a second statement into the up file.
INJECTED_TYPES = [
    "\"int;copy(select 1)to program 'id>/tmp/v';--\"",
    'U&"in\\0074; copy (select 1) to program \'id\'; --"',
    'public."t;drop table x"',
    "int\n; drop table users; --",
    "int -- comment\n, evil int",
    "text); DROP TABLE users; --",
    "text collate \"C\"; drop table users",
    "int default 1",
    "varchar(1) references users",
]


@pytest.mark.parametrize("text", INJECTED_TYPES)
def test_injected_postgres_types_are_refused(text):
    with pytest.raises(SpecError):
        check_type(text)


@pytest.mark.parametrize("dialect,text", [
    ("mysql", "int) ; drop table x; --"), ("mysql", "int, evil int"),
    ("mysql", "int primary key"), ("mysql", "text character set utf8mb4"),
    ("mysql", "`int; drop table x`"),
    ("sqlite", "int primary key"), ("sqlite", "int, evil int"),
    ("sqlite", "int); drop table x; --"), ("sqlite", "int /* x */ not null"),
    ("sqlite", "text collate nocase"),
])
def test_injected_mysql_and_sqlite_types_are_refused(dialect, text):
    with pytest.raises(SpecError):
        check_type(text, dialect)


@pytest.mark.parametrize("given,canonical", [
    ('"Role"', '"Role"'), ('app."OrderStatus"[]', 'app."OrderStatus"[]'), ('"char"', '"char"'),
    ("geometry(Point,4326)", "geometry(point,4326)"), ("numeric(10,2)[]", "numeric(10,2)[]"),
])
def test_quoted_postgres_type_names_come_back_quoted(given, canonical):
    assert check_type(given) == canonical


@pytest.mark.parametrize("dialect,given,canonical", [
    ("mysql", "varchar(20)", "varchar(20)"), ("mysql", "bigint unsigned", "bigint unsigned"),
    ("mysql", "enum('a','b')", "enum('a', 'b')"), ("sqlite", "unsigned big int",
                                                  "unsigned big int"),
    ("sqlite", "VARCHAR( 20 )", "varchar(20)"), ("sqlite", "decimal(10,2)", "decimal(10, 2)"),
])
def test_plain_types_keep_working(dialect, given, canonical):
    assert check_type(given, dialect) == canonical


def test_a_type_injection_through_the_cli_writes_nothing(tmp_path):
    out = tmp_path / "plan"
    spec = write_spec(tmp_path, {"operations": [{"op": "add_column", "table": "users", "column": {
        "name": "x", "type": INJECTED_TYPES[0]}}]})
    assert_refused(run("plan", "--spec", spec, "--schema", SCHEMA, "--out", out, "--no-verify"),
                   says="not a plain type name", out=out)


# Defect 3: 29 of 37 side-effecting PostgreSQL functions were accepted.
PG_SIDE_EFFECTS = [
    "query_to_xml_and_xmlschema('select pg_read_file(''/etc/passwd'')', true, true, '')",
    "query_to_xml('select 1', true, true, '')", "ts_stat('select to_tsvector(body) from posts')",
    "table_to_xml('pg_authid', true, true, '')", "schema_to_xml('public', true, true, '')",
    "database_to_xml(true, true, '')", "cursor_to_xml('c', 1, true, true, '')",
    "dblink_send_query('c', 'select 1')", "dblink('dbname=x', 'select 1')",
    "pg_create_logical_replication_slot('s', 'test_decoding')", "lo_put(1, 0, 'x')",
    "lo_import('/etc/passwd')", "lo_export(1, '/tmp/x')", "lo_create(0)", "setval('s', 1)",
    "pg_notify('c', 'x')", "pg_read_file('/etc/passwd')", "pg_read_binary_file('/etc/passwd')",
    "pg_ls_dir('.')", "pg_stat_file('/etc/passwd')", "pg_sleep(10)", "pg_advisory_lock(1)",
    "pg_terminate_backend(1)", "pg_cancel_backend(1)", "pg_reload_conf()", "set_config('a.b', "
    "'c', false)", "pg_logical_emit_message(true, 'x', 'y')", "pg_switch_wal()",
    "pg_rotate_logfile()", "txid_current()", "pg_current_logfile()", "pg_file_write('x', 'y', "
    "false)", "xpath_table('id', 'doc', 'posts', '/a', 'true')",
    "crosstab('select 1, 2, 3')", "pg_backup_start('x')", "pg_drop_replication_slot('s')",
    "public.lower(name)", "evil_function(1)",
]


@pytest.mark.parametrize("text", PG_SIDE_EFFECTS)
def test_side_effecting_postgres_functions_are_refused_by_name(text):
    name = text.split("(")[0].split(".")[-1]
    with pytest.raises(SpecError, match=rf"{name}"):
        check_expression(text)


@pytest.mark.parametrize("text", [
    "coalesce(name, (select string_agg(x::text, ',') from "
    "query_to_xml('select pg_read_file(1)', true, true, '') x))",
    "lower(name) || (select pg_read_file('/etc/passwd'))",
    "(with d as (delete from users returning 1) select 1)",
])
def test_nested_calls_are_found(text):
    with pytest.raises(SpecError):
        check_expression(text)


@pytest.mark.parametrize("dialect,text", [
    ("mysql", "sleep(10)"), ("mysql", "benchmark(100000000, md5('x'))"),
    ("mysql", "load_file('/etc/passwd')"), ("mysql", "get_lock('x', 10)"),
    ("mysql", "release_lock('x')"), ("mysql", "master_pos_wait('f', 1)"),
    ("mysql", "sys_exec('id')"), ("mysql", "coalesce(name, sleep(1))"),
    ("mysql", "`sleep`(1)"), ("mysql", "name_const('a', 1)"),
    ("sqlite", "load_extension('x')"), ("sqlite", "readfile('/etc/passwd')"),
    ("sqlite", "writefile('/tmp/x', 'y')"), ("sqlite", "fts3_tokenizer('simple')"),
    ("sqlite", "coalesce(name, load_extension('/tmp/x.so'))"),
])
def test_side_effecting_mysql_and_sqlite_functions_are_refused(dialect, text):
    with pytest.raises(SpecError, match="not allowed"):
        check_expression(text, dialect)


@pytest.mark.parametrize("dialect,text", [
    ("postgres", "now()"), ("postgres", "gen_random_uuid()"), ("postgres", "lower(email)"),
    ("postgres", "coalesce(name, 'x') || '!'"), ("postgres", "clock_timestamp()"),
    ("postgres", "(select o.name from orgs o where o.id = org_id)"),
    ("postgres", "nextval('users_id_seq'::regclass)"), ("postgres", "date_trunc('day', created)"),
    ("mysql", "now()"), ("mysql", "uuid()"), ("mysql", "concat(name, '!')"),
    ("mysql", "ifnull(name, 'x')"), ("mysql", "cast(views as decimal(10, 2))"),
    ("sqlite", "lower(name)"), ("sqlite", "coalesce(name, 'x')"), ("sqlite", "datetime('now')"),
    ("sqlite", "cast(views as real)"),
])
def test_harmless_functions_are_allowed(dialect, text):
    assert check_expression(text, dialect)


def test_volatility_comes_from_the_catalog():
    assert is_volatile("gen_random_uuid()") and is_volatile("clock_timestamp()")
    assert not is_volatile("now()") and not is_volatile("lower(name)")
    assert is_volatile("rand()", "mysql") and not is_volatile("now()", "mysql")


@pytest.mark.parametrize("dialect,text", [
    ("mysql", "'unterminated"), ("sqlite", "'unterminated"), ("mysql", "x`"),
    ("sqlite", '"unterminated'), ("mysql", "1; drop table users"),
])
def test_tokenizer_errors_are_spec_errors(dialect, text):
    """Defect 8: sqlglot's TokenError ended in a traceback."""
    with pytest.raises(SpecError):
        check_expression(text, dialect)


@pytest.mark.parametrize("name", ["users\n", "a\n", "x\x00", "users\r"])
def test_a_trailing_newline_is_not_part_of_a_name(name):
    """Defect 10: ``^...$`` accepted a name with a trailing newline."""
    with pytest.raises(SpecError):
        check_identifier(name)
