"""Verification sessions on MySQL/MariaDB shadow databases (the server side lives in
``mysql.py``, written with the MySQL dialect)."""

from __future__ import annotations

from migsmith.tools.proving.shadow.base import ShadowDatabase, ShadowSession


class MysqlSession(ShadowSession):
    dialect = "mysql"

    def __init__(self, db: ShadowDatabase):
        from migsmith.tools.schema.live_mysql import connect_mysql

        self.conn = connect_mysql(db.url)

    def load(self, ddl: str, label: str) -> None:
        from migsmith.tools.errors import SchemaError
        from migsmith.tools.running.executor import ExecutionError

        try:
            self.apply(ddl, file=label)
        except ExecutionError as exc:
            raise SchemaError(f"the starting schema does not load into MySQL: {exc}") from None

    def start_schema(self):
        from migsmith.tools.schema.live_mysql import schema_from_connection

        return schema_from_connection(self.conn)

    def seed(self, schema, rows: int) -> None:
        from migsmith.tools.proving.seed import seed_rows

        seed_rows(self.conn, schema, rows, placeholder="%s", quote="`")

    def snapshot(self):
        from migsmith.tools.proving.catalog_mysql_sqlite import snapshot_mysql

        return snapshot_mysql(self.conn)

    def fingerprint(self, snap, keys=None):
        from migsmith.tools.proving.catalog import fingerprint_rows

        return fingerprint_rows(self.conn, snap, keys=keys, quote="`")

    def apply(self, sql: str, *, file: str, observe: bool = False):
        from migsmith.tools.running.executor import apply_mysql_sql

        return apply_mysql_sql(self.conn, sql, file=file)

    def count_mismatch(self, table: str, column: str, expression: str, where: str | None):
        with self.conn.cursor() as cur:
            cur.execute(f"SELECT count(*), coalesce(sum(NOT (`{column}` <=> ({expression}))), 0) "
                        f"FROM `{table}` WHERE {where or '1'}")
            row = cur.fetchone()
        return int(row[0]), int(row[1])

    def server_version(self) -> str:
        with self.conn.cursor() as cur:
            cur.execute("SELECT VERSION()")
            return str(cur.fetchone()[0])

    def close(self) -> None:
        self.conn.close()
