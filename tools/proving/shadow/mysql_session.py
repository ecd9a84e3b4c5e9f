"""Verification sessions on MySQL/MariaDB shadow databases (the server side lives in
``mysql.py``, written with the MySQL dialect)."""

from __future__ import annotations

import re

from migsmith.tools.proving.shadow.base import ShadowDatabase, ShadowSession


_OTHER_DATABASE = re.compile(
    r"^\s*(?:(?:CREATE|DROP)\s+(?:DATABASE|SCHEMA)\b|USE\s)", re.IGNORECASE)


def own_database_only(ddl: str) -> str:
    """A schema file without its CREATE/DROP DATABASE and USE statements (blanked, lines
    kept): the shadow loads it into its own throwaway database, not the one it names."""
    from migsmith.tools.dialects.mysql.script import split_script
    from migsmith.tools.schema.sqlglot_ddl import _code_only

    out = ddl
    named: set[str] = set()
    for chunk in split_script(ddl):
        code = _code_only(chunk)
        if _OTHER_DATABASE.match(code):
            words = re.findall(r"[`\w$]+", code)
            if words:
                named.add(words[-1].strip("`").lower())
            out = out.replace(chunk.strip(), "-- (migsmith: not in the shadow) "
                              + " ".join(chunk.split())[:60].replace("\n", " "), 1)
    if named:  # names qualified with that database point at the shadow's own
        code = _code_only(out)
        qualifier = re.compile(r"(?<![\w$`.])`?(" + "|".join(map(re.escape, named))
                               + r")`?\.(?=[`\w])", re.IGNORECASE)
        spans = [m.span() for m in qualifier.finditer(code)]
        for start, end in reversed(spans):
            out = out[:start] + out[end:]
    return out


class MysqlSession(ShadowSession):
    dialect = "mysql"

    def __init__(self, db: ShadowDatabase):
        from migsmith.tools.schema.live_mysql import connect_mysql

        self.conn = connect_mysql(db.url)

    def load(self, ddl: str, label: str) -> None:
        from migsmith.tools.errors import SchemaError
        from migsmith.tools.running.executor import ExecutionError

        from migsmith.tools.proving.shadow.mysql_owner import without_definers

        try:
            self.apply(without_definers(own_database_only(ddl)), file=label)
        except ExecutionError as exc:
            statement = " ".join(exc.text.split())
            shown = statement if len(statement) <= 100 else statement[:97] + "..."
            message = str(exc).split(": ", 2)[-1].strip().splitlines()[0]
            raise SchemaError(f"{label}:{exc.line}: {self.server_version()} refuses "
                              f"{shown!r}: {message}") from None

    def start_schema(self):
        from migsmith.tools.schema.live_mysql import schema_from_connection

        return schema_from_connection(self.conn)

    def seed(self, schema, rows: int) -> None:
        from migsmith.tools.proving.seed import seed_rows

        return seed_rows(self.conn, schema, rows, placeholder="%s", quote="`")

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
