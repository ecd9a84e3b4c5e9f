"""SQLite shadow databases: a file in a temporary directory, removed afterwards."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

from migsmith.tools.proving.shadow.base import ShadowDatabase, ShadowServer, ShadowSession


class SqliteShadow(ShadowServer):
    dialect = "sqlite"

    def __init__(self) -> None:
        self._dir: str | None = tempfile.mkdtemp(prefix="migsmith-shadow-sqlite-")

    @contextlib.contextmanager
    def database(self, label: str = "plan") -> Iterator[ShadowDatabase]:
        assert self._dir is not None, "shadow server already closed"
        path = Path(self._dir) / f"{label}_{uuid.uuid4().hex[:10]}.db"
        try:
            yield ShadowDatabase("sqlite", f"sqlite:///{path}", path.name)
        finally:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(str(path) + suffix).unlink(missing_ok=True)

    def session(self, db: ShadowDatabase) -> "SqliteSession":
        return SqliteSession(db)

    def close(self) -> None:
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None


# ---------------------------------------------------------------------- sessions
def split_sqlite(sql: str, *, file: str | None = None) -> list:
    """Statements of a SQLite script (as the sqlite3 shell sends them), with their lines.

    SQLite has no parser to ask, so statements are cut where ``sqlite3.complete_statement``
    says one ends (it knows quotes, comments and trigger bodies); text after the last complete
    statement that is not a comment is an error."""
    import sqlite3

    from migsmith.tools.errors import SQLParseError
    from migsmith.tools.running.executor import Statement

    if "\x00" in sql:  # sqlite3.complete_statement cannot take one
        at = sql.index("\x00")
        raise SQLParseError("contains a NUL character", file=file,
                            line=sql[:at].count("\n") + 1, column=at - sql.rfind("\n", 0, at))
    out = []
    start = 0
    pos = sql.find(";")
    while pos != -1:
        chunk = sql[start:pos + 1]
        if sqlite3.complete_statement(chunk):
            text = _strip_comments_before(chunk)
            if text.strip(" \t\r\n;"):
                offset = start + chunk.index(text)
                out.append(Statement(number=len(out) + 1, line=sql[:offset].count("\n") + 1,
                                     text=text.strip()))
            start = pos + 1
        pos = sql.find(";", pos + 1)
    rest = _strip_comments_before(sql[start:])
    if rest.strip():
        line = sql[:start + sql[start:].index(rest)].count("\n") + 1
        raise SQLParseError("incomplete statement at the end of the file (missing ';'?)",
                            file=file, line=line, column=1)
    return out


def _strip_comments_before(text: str) -> str:
    """``text`` from its first character that is not blank or inside a leading comment."""
    i = 0
    while i < len(text):
        if text[i].isspace():
            i += 1
        elif text.startswith("--", i):
            nl = text.find("\n", i)
            i = len(text) if nl == -1 else nl + 1
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = len(text) if end == -1 else end + 2
        else:
            break
    return text[i:]


def sqlite_file_ddl(location: str) -> tuple[str, str, set[str]]:
    """(DDL, label, tables) of an existing SQLite database file, read-only."""
    from migsmith.tools.schema.live_sqlite import connect_sqlite

    conn = connect_sqlite(location, read_only=True)
    try:
        rows = conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE "
            "'sqlite_%' ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 "
            "WHEN 'view' THEN 2 ELSE 3 END, rowid").fetchall()
    finally:
        conn.close()
    ddl = "".join(f"{sql.strip().rstrip(';')};\n" for _, _, sql in rows)
    return ddl, location, {name for kind, name, _ in rows if kind == "table"}


class SqliteSession(ShadowSession):
    dialect = "sqlite"

    def __init__(self, db: ShadowDatabase):
        import sqlite3

        from migsmith.tools.schema.live_sqlite import confine, sqlite_path

        self.conn = sqlite3.connect(sqlite_path(db.url), isolation_level=None,
                                    check_same_thread=False)
        confine(self.conn)  # this file and no other (no ATTACH, no VACUUM INTO)

    def load(self, ddl: str, label: str) -> None:
        from migsmith.tools.errors import SchemaError
        from migsmith.tools.running.executor import ExecutionError

        try:
            self.apply(ddl, file=label)
        except ExecutionError as exc:
            raise SchemaError(f"the starting schema does not load into SQLite: {exc}") from None

    def start_schema(self):
        from migsmith.tools.schema.live_sqlite import schema_from_connection

        return schema_from_connection(self.conn)

    def seed(self, schema, rows: int) -> None:
        from migsmith.tools.proving.seed import seed_rows

        return seed_rows(self.conn, schema, rows, placeholder="?", quote='"')

    def snapshot(self):
        from migsmith.tools.proving.catalog_mysql_sqlite import snapshot_sqlite

        return snapshot_sqlite(self.conn)

    def fingerprint(self, snap, keys=None):
        from migsmith.tools.proving.catalog import fingerprint_rows

        return fingerprint_rows(self.conn, snap, keys=keys, quote='"')

    def apply(self, sql: str, *, file: str, observe: bool = False):
        from migsmith.tools.running.executor import apply_sqlite_sql

        return apply_sqlite_sql(self.conn, sql, file=file)

    def count_mismatch(self, table: str, column: str, expression: str, where: str | None):
        row = self.conn.execute(
            f'SELECT count(*), coalesce(sum(CASE WHEN "{column}" IS NOT ({expression}) '
            f'THEN 1 ELSE 0 END), 0) FROM "{table}" WHERE {where or "1"}').fetchone()
        return row[0], row[1]

    def server_version(self) -> str:
        import sqlite3

        return sqlite3.sqlite_version

    def normalize_types(self, types: list[str]) -> dict[str, str] | None:
        return {t: t.lower() for t in types}  # SQLite keeps the declared type text

    def close(self) -> None:
        self.conn.close()
