"""Applying a plan step's SQL file to a connection, the way psql -f (the mysql client, the
sqlite3 shell) would: ``apply_step_sql`` for PostgreSQL, ``apply_mysql_sql`` and
``apply_sqlite_sql`` for the others, ``run_step`` to pick by dialect.

A step file is a script, not one statement: it carries its own BEGIN/COMMIT when it is
transactional, and it must *not* be wrapped in a transaction when it is not (CREATE INDEX
CONCURRENTLY and DO blocks that COMMIT per batch are refused inside one). Sending the whole file
as one simple query would make it one implicit transaction, so the file is split with pglast
and each statement is sent on its own over an autocommit connection.

Public API (also used by the load benchmark)::

    results = apply_step_sql(conn, sql, file="001_x.up.sql", retries=3,
                             on_statement=print, observer=None)

A statement that fails on ``lock_timeout`` (SQLSTATE 55P03) is retried with backoff; inside a
transaction block the whole block is rolled back and re-run from its BEGIN. A failed
``CREATE INDEX CONCURRENTLY`` leaves an INVALID index behind; before retrying, the executor drops
it (``DROP INDEX CONCURRENTLY``), which is what the step's precondition tells a person to do.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from migsmith.tools.errors import MigsmithError, SQLParseError

LOCK_NOT_AVAILABLE = "55P03"


class ExecutionError(MigsmithError):
    """A statement of a step file failed on the server."""

    def __init__(self, message: str, *, file: str | None, statement: int, line: int,
                 sqlstate: str | None = None, text: str = ""):
        where = f"{file or '<sql>'}: statement {statement} (line {line})"
        super().__init__(f"{where}: {message}")
        self.file, self.statement, self.line, self.sqlstate, self.text = (
            file, statement, line, sqlstate, text)


@dataclass
class Statement:
    number: int  # 1-based position in the file
    line: int  # line of the file where it starts
    text: str

    @property
    def first_line(self) -> str:
        return self.text.strip().splitlines()[0] if self.text.strip() else ""


@dataclass
class StatementResult:
    statement: Statement
    in_transaction: bool  # ran inside the step's own BEGIN ... COMMIT
    seconds: float
    attempts: int = 1
    observed: Any = None  # whatever the observer returned (observed locks for verify)
    notices: list[str] = field(default_factory=list)


class Observer(Protocol):
    """Wraps the execution of each statement, e.g. to watch the locks it takes."""

    def observe(self, conn, statement: Statement, in_transaction: bool,
                execute: Callable[[], None]) -> Any: ...


def split_statements(sql: str, *, file: str | None = None) -> list[Statement]:
    """The statements of a script, with the line each starts on; SQLParseError if it does not
    parse (with file, line and column)."""
    from pglast import parser

    if "\x00" in sql:  # the parser would stop there and silently drop the rest of the file
        at = sql.index("\x00")
        raise SQLParseError("contains a NUL character", file=file,
                            line=sql[:at].count("\n") + 1, column=at - sql.rfind("\n", 0, at))
    try:
        slices = parser.split(sql, with_parser=True, only_slices=True)
    except parser.ParseError as exc:
        message = exc.args[0] if exc.args else str(exc)
        offset = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], int) else None
        line = col = None
        if offset is not None:
            before = sql[:offset]
            line = before.count("\n") + 1
            col = offset - (before.rfind("\n") + 1) + 1
        raise SQLParseError(message, file=file, line=line, column=col) from None
    return [Statement(number=i, line=sql[: s.start].count("\n") + 1, text=sql[s])
            for i, s in enumerate(slices, 1)]


def apply_step_sql(conn, sql: str, *, file: str | None = None, retries: int = 3,
                   backoff_s: float = 0.2, observer: Observer | None = None,
                   on_statement: Callable[[StatementResult], None] | None = None,
                   drop_invalid_indexes: bool = True) -> list[StatementResult]:
    """Run every statement of ``sql`` on ``conn`` (psycopg 3, autocommit), in order.

    Returns one StatementResult per statement. Raises ExecutionError (after rolling back an open
    transaction block) naming the file, statement number, line and the server's message.
    """
    import psycopg

    if not conn.autocommit:
        conn.autocommit = True  # the step's own BEGIN/COMMIT make the transactions
    statements = split_statements(sql, file=file)
    results: list[StatementResult] = []
    i = 0
    block_start: int | None = None  # index of the BEGIN of the open transaction block
    attempts: dict[int, int] = {}
    notices: list[str] = []

    def _notice(diag) -> None:
        notices.append(diag.message_primary or "")

    conn.add_notice_handler(_notice)
    try:
        while i < len(statements):
            st = statements[i]
            in_txn = _in_transaction(conn)
            if not in_txn:
                block_start = None
            notices.clear()
            started = time.perf_counter()
            try:
                def execute(text=st.text, retry=attempts.get(i, 0) > 0):
                    if retry and drop_invalid_indexes:
                        # a failure here (lock timeout too) counts as this statement's
                        _drop_invalid_index(conn, text)
                    conn.execute(text, prepare=False)

                observed = (observer.observe(conn, st, in_txn, execute) if observer
                            else execute())
            except psycopg.Error as exc:
                sqlstate = getattr(exc, "sqlstate", None)
                was_in_txn = _in_transaction(conn) or in_txn
                if was_in_txn:
                    _rollback(conn)
                tries = attempts.get(i, 0) + 1
                attempts[i] = tries
                if sqlstate == LOCK_NOT_AVAILABLE and tries <= retries:
                    time.sleep(backoff_s * 2 ** (tries - 1))
                    if was_in_txn and block_start is not None:
                        # the whole block was rolled back: run it again from its BEGIN
                        del results[block_start:]
                        i = block_start
                    continue
                message = _server_message(exc)
                if tries > 1:
                    message += f" (after {tries} attempts)"
                raise ExecutionError(message, file=file, statement=st.number, line=st.line,
                                     sqlstate=sqlstate, text=st.text) from None
            if not in_txn and _in_transaction(conn):
                block_start = len(results)
            res = StatementResult(statement=st, in_transaction=in_txn or _in_transaction(conn),
                                  seconds=time.perf_counter() - started,
                                  attempts=attempts.get(i, 0) + 1, observed=observed,
                                  notices=list(notices))
            results.append(res)
            if on_statement:
                on_statement(res)
            i += 1
        if _in_transaction(conn):
            # a file that opens a transaction and never commits would leave it open: refuse
            _rollback(conn)
            last = statements[-1]
            raise ExecutionError("the file ends inside an open transaction (missing COMMIT); "
                                 "rolled back", file=file, statement=last.number,
                                 line=last.line)
    finally:
        conn.remove_notice_handler(_notice)
    return results


def _in_transaction(conn) -> bool:
    from psycopg.pq import TransactionStatus

    return conn.info.transaction_status in (TransactionStatus.INTRANS,
                                            TransactionStatus.INERROR)


def _rollback(conn) -> None:
    try:
        conn.execute("ROLLBACK")
    except Exception:  # noqa: BLE001 - the connection may already be broken; nothing to undo
        pass


def _server_message(exc) -> str:
    diag = getattr(exc, "diag", None)
    primary = diag.message_primary if diag is not None else None
    message = primary or str(exc).strip().splitlines()[0]
    detail = diag.message_detail if diag is not None else None
    return f"{message} ({detail})" if detail else message


def concurrent_index_name(text: str) -> str | None:
    """The index name of a CREATE INDEX CONCURRENTLY statement, else None."""
    from pglast import ast, parse_sql
    from pglast.parser import ParseError

    try:
        stmts = parse_sql(text)
    except ParseError:
        return None
    node = stmts[0].stmt if stmts else None
    if isinstance(node, ast.IndexStmt) and node.concurrent and node.idxname:
        schema = node.relation.schemaname
        return f'"{schema}"."{node.idxname}"' if schema else f'"{node.idxname}"'
    return None


def _drop_invalid_index(conn, text: str) -> None:
    """Drop the INVALID index a failed CREATE INDEX CONCURRENTLY left, so the retry can build it."""
    name = concurrent_index_name(text)
    if name is None:
        return
    row = conn.execute("SELECT NOT i.indisvalid FROM pg_index i WHERE i.indexrelid = "
                       "to_regclass(%s)", (name,)).fetchone()
    if row and row[0]:
        conn.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


def apply_mysql_sql(conn, sql: str, *, file: str | None = None) -> list[StatementResult]:
    """Run a MySQL/MariaDB step file statement by statement, as the mysql client sends it
    (DELIMITER lines honoured); ExecutionError names the statement that failed."""
    import pymysql

    from migsmith.tools.dialects.mysql import split_script

    results = []
    search_from = 0
    for number, text in enumerate(split_script(sql), 1):
        at = sql.find(text.strip().splitlines()[0] if text.strip() else text, search_from)
        line = sql[:at].count("\n") + 1 if at >= 0 else 0
        search_from = max(search_from, at)
        st = Statement(number=number, line=line, text=text)
        started = time.perf_counter()
        try:
            with conn.cursor() as cur:
                cur.execute(text)
                while cur.nextset():
                    pass
        except pymysql.err.MySQLError as exc:
            try:
                conn.rollback()
            except pymysql.err.MySQLError:
                pass
            raise ExecutionError(str(exc.args[-1]), file=file, statement=number,
                                 line=line, text=text) from None
        results.append(StatementResult(statement=st, in_transaction=False,
                                       seconds=time.perf_counter() - started))
    return results


def apply_sqlite_sql(conn, sql: str, *, file: str | None = None) -> list[StatementResult]:
    """Run a SQLite step file statement by statement, as the sqlite3 shell sends it, on a
    connection in autocommit mode (isolation_level=None: the file's BEGIN/COMMIT rule)."""
    import sqlite3

    from migsmith.tools.proving.shadow.sqlite import split_sqlite

    results = []
    for st in split_sqlite(sql, file=file):
        started = time.perf_counter()
        in_txn = conn.in_transaction
        try:
            conn.execute(st.text)
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise ExecutionError(str(exc), file=file, statement=st.number, line=st.line,
                                 text=st.text) from None
        results.append(StatementResult(statement=st, in_transaction=in_txn,
                                       seconds=time.perf_counter() - started))
    if conn.in_transaction:
        conn.execute("ROLLBACK")
        raise ExecutionError("the file ends inside an open transaction (missing COMMIT); "
                             "rolled back", file=file, statement=len(results),
                             line=results[-1].statement.line if results else 1)
    return results


def run_step(dialect: str, conn, sql: str, *, file: str | None = None,
             retries: int = 3) -> list[StatementResult]:
    """One step file on ``conn``, the way the dialect's own client runs it."""
    if dialect == "mysql":
        return apply_mysql_sql(conn, sql, file=file)
    if dialect == "sqlite":
        return apply_sqlite_sql(conn, sql, file=file)
    return apply_step_sql(conn, sql, file=file, retries=retries)
