"""Batched backfills over keys that are not one integer (a composite key, a uuid-like text key),
on a real MariaDB and a real SQLite: every row is written once, a re-run writes none."""

from __future__ import annotations

import pytest

from dialect_roundtrip import run_mysql, run_sqlite
from migsmith.tools.planning.planner import build_plan
from migsmith.tools.schema import load_ddl
from migsmith.tools.spec.changespec import parse_spec

ROWS = 1500

COMPOSITE = ("CREATE TABLE film_actor (actor_id int NOT NULL, film_id int NOT NULL, "
             "label varchar(40), PRIMARY KEY (actor_id, film_id))")
UUIDS = "CREATE TABLE tokens (id char(36) NOT NULL PRIMARY KEY, label varchar(40))"


def _step(ddl: str, table: str, dialect: str, expression: str, **options):
    schema = load_ddl(ddl, dialect)
    schema.tables[table].row_estimate = ROWS
    spec = parse_spec({"operations": [{"op": "backfill", "table": table, "column": "label",
                                       "expression": expression}],
                       # label holds values: overwriting them is consented to, as a user must
                       "options": {"dialect": dialect, "batch_size": 200,
                                   "allow_data_loss": True, **options}})
    return build_plan(spec, schema).steps[0]


def _count(conn, sql, mysql=True):
    if mysql:
        with conn.cursor() as cur:
            cur.execute(sql)
            return cur.fetchone()[0]
    return conn.execute(sql).fetchone()[0]


@pytest.mark.mariadb
@pytest.mark.parametrize("batch_ms", [0, 50])
def test_mysql_composite_key(mysql_conn, batch_ms):
    run_mysql(mysql_conn, COMPOSITE + ";\n"
              "INSERT INTO film_actor (actor_id, film_id) SELECT a.seq, f.seq FROM seq_1_to_30 a "
              "CROSS JOIN seq_1_to_50 f;")
    step = _step(COMPOSITE, "film_actor", "mysql", "CONCAT(actor_id, '/', film_id)",
                 target_version="mariadb-10.11", batch_ms=batch_ms)
    assert step.backfill.key == ["actor_id", "film_id"]
    assert "(`actor_id` > @migsmith_lo_1) OR (`actor_id` = @migsmith_lo_1 AND" in step.up_sql
    run_mysql(mysql_conn, step.up_sql)
    assert _count(mysql_conn, "SELECT count(*) FROM film_actor WHERE label = "
                              "CONCAT(actor_id, '/', film_id)") == ROWS
    run_mysql(mysql_conn, step.up_sql)  # again: nothing left to write
    assert _count(mysql_conn, "SELECT count(*) FROM film_actor") == ROWS


@pytest.mark.mariadb
def test_mysql_uuid_text_key(mysql_conn):
    run_mysql(mysql_conn, UUIDS + ";\n"
              "INSERT INTO tokens (id) SELECT UUID() FROM seq_1_to_1500;")
    step = _step(UUIDS, "tokens", "mysql", "LEFT(id, 8)", target_version="mariadb-10.11")
    run_mysql(mysql_conn, step.up_sql)
    assert _count(mysql_conn, "SELECT count(*) FROM tokens WHERE label = LEFT(id, 8)") == ROWS


@pytest.mark.parametrize("ddl,table,fill,expression", [
    (COMPOSITE, "film_actor",
     "WITH RECURSIVE n(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM n WHERE v < 50) "
     "INSERT INTO film_actor (actor_id, film_id) SELECT a.v, f.v FROM n a, n f WHERE a.v <= 30",
     "actor_id || '/' || film_id"),
    (UUIDS, "tokens",
     "WITH RECURSIVE n(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM n WHERE v < 1500) "
     "INSERT INTO tokens (id) SELECT lower(hex(randomblob(16))) FROM n",
     "substr(id, 1, 8)"),
])
def test_sqlite_any_key(sqlite_conn, ddl, table, fill, expression):
    run_sqlite(sqlite_conn, ddl + ";\n" + fill + ";")
    step = _step(ddl, table, "sqlite", expression)
    assert "migsmith backfill" not in step.up_sql  # the file walks the key itself
    run_sqlite(sqlite_conn, step.up_sql)
    assert _count(sqlite_conn, f"SELECT count(*) FROM {table} WHERE label = {expression}",
                  mysql=False) == ROWS
    assert step.up_sql.count("BEGIN IMMEDIATE") >= ROWS // 200
