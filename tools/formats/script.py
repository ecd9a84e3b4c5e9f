"""A plan step's SQL file as data: its statements, what each one is, and how it may be sent.

Migration tools send a file in one of a few ways, and a step's SQL survives only some of them:

* statement by statement with no transaction around them (``psql -f``, sqitch, the sqlite3
  shell, the mysql client): the step file runs as it is, BEGIN/COMMIT included;
* inside the tool's own transaction (dbmate, Flyway, Django, Rails, Alembic and Atlas by
  default): the step's BEGIN/COMMIT must go (a second BEGIN only warns "there is already a
  transaction in progress", and its COMMIT would end the tool's transaction early), and a
  statement that PostgreSQL refuses inside a transaction block (CONCURRENTLY, a DO block that
  COMMITs per batch) must be opted out of it;
* as one query string (golang-migrate, dbmate): PostgreSQL runs a string of several
  statements as one implicit transaction, so such a statement must be the only one in its
  file.

``parse_script`` turns a step file into a ``Script``; the format adapters decide from its
statements which of these ways each step takes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from migsmith.tools.planning.plan import Step

# What a statement is for, so that adapters can move the framing and keep the body.
SETTING, RESET, CHECK, BACKFILL, BODY = "setting", "reset", "check", "backfill", "body"


@dataclass(frozen=True)
class Statement:
    sql: str  # the statement without its terminating ';'
    role: str = BODY
    alone: bool = False  # PostgreSQL refuses it inside a transaction block (implicit ones too)
    comment: str = ""  # the comment lines written just before it in the step file

    def text(self) -> str:
        """The statement as a file carries it: its comment, then the statement and ';'."""
        return (self.comment + "\n" if self.comment else "") + self.sql + ";"


@dataclass
class Script:
    """One direction of one step."""

    step: Step
    direction: str  # "up" or "down"
    dialect: str
    raw: str  # the step file as the plain plan writes it (runs under psql -f)
    header: list[str]  # the file's leading comment lines (migsmith header, deploy note, lint)
    transactional: bool  # the file is one BEGIN ... COMMIT (PostgreSQL)
    statements: list[Statement] = field(default_factory=list)  # without BEGIN/COMMIT

    @property
    def empty(self) -> bool:
        return not [s for s in self.statements if s.role not in (SETTING, RESET)]

    @property
    def needs_own_transactions(self) -> bool:
        """True when the tool's transaction must be switched off for this script."""
        return not self.empty and not self.transactional

    def body_text(self) -> str:
        """The statements without BEGIN/COMMIT, for a tool that wraps the file itself."""
        return "\n\n".join(s.text() for s in self.statements)

    def backfill_range(self) -> tuple[int, int] | None:
        """[start, end) of the statements that make up the batched backfill, if any."""
        idx = [i for i, s in enumerate(self.statements) if s.role == BACKFILL]
        return (idx[0], idx[-1] + 1) if idx else None

    @property
    def batched_backfill(self) -> bool:
        bf = self.step.backfill
        return self.direction == "up" and bf is not None and bf.batch_size > 0


def step_scripts(step: Step, dialect: str) -> tuple[Script, Script]:
    return (parse_script(step, "up", step.up_sql, dialect),
            parse_script(step, "down", step.down_sql, dialect))


def parse_script(step: Step, direction: str, sql: str, dialect: str) -> Script:
    header = _header(sql)
    if dialect == "postgres":
        statements, transactional = _postgres_statements(sql)
    elif dialect == "mysql":
        statements, transactional = _mysql_statements(sql), False
    else:
        statements, transactional = _sqlite_statements(sql), False
    return Script(step=step, direction=direction, dialect=dialect, raw=sql, header=header,
                  transactional=transactional, statements=statements)


def _header(sql: str) -> list[str]:
    lines = []
    for line in sql.splitlines():
        if not line.startswith("--"):
            break
        lines.append(line)
    return lines


def _comments_between(sql: str, start: int, end: int) -> str:
    """The comment lines of sql[start:end] that belong to the next statement (the file's
    leading header is kept apart, in Script.header)."""
    chunk = sql[start:end]
    blocks = re.split(r"\n\s*\n", chunk)
    last = blocks[-1] if blocks else ""
    lines = [ln.rstrip() for ln in last.splitlines() if ln.strip().startswith("--")]
    return "\n".join(lines)


# ----------------------------------------------------------------------------- PostgreSQL
_TXN_CONTROL = re.compile(r"\b(COMMIT|ROLLBACK)\b", re.IGNORECASE)


def _postgres_statements(sql: str) -> tuple[list[Statement], bool]:
    from pglast import ast, parse_sql

    from migsmith.tools.running.executor import split_statements

    out: list[Statement] = []
    transactional = False
    pos = len("\n".join(_header(sql)))
    for st in split_statements(sql):
        at = sql.find(st.text, pos)
        comment = _comments_between(sql, pos, at) if at > 0 else ""
        pos = at + len(st.text) if at >= 0 else pos
        node = parse_sql(st.text)[0].stmt
        role, alone = BODY, False
        if isinstance(node, ast.TransactionStmt):
            transactional = True
            continue  # BEGIN / COMMIT: the framing, which adapters write their own way
        if isinstance(node, ast.VariableSetStmt):
            role = RESET if st.text.upper().startswith("RESET") else SETTING
        elif isinstance(node, ast.DoStmt):
            body = "".join(getattr(arg.arg, "sval", "") or "" for arg in node.args or ())
            if "$check$" in st.text:
                role = CHECK
            elif _TXN_CONTROL.search(body):
                alone = True
                role = BACKFILL if "$backfill$" in st.text else BODY
        elif isinstance(node, (ast.IndexStmt, ast.DropStmt)) and getattr(node, "concurrent", False):
            alone = True
        elif isinstance(node, ast.ReindexStmt) and "CONCURRENTLY" in st.text.upper():
            alone = True
        elif isinstance(node, ast.VacuumStmt) and st.text.upper().startswith("VACUUM"):
            alone = True
        out.append(Statement(sql=st.text, role=role, alone=alone, comment=comment))
    return out, transactional


# ----------------------------------------------------------------------------- MySQL
def _mysql_statements(sql: str) -> list[Statement]:
    """MySQL/MariaDB commit every DDL statement on their own: the step runs as its statements
    in order. The backfill is the stored procedure the step creates, calls and drops."""
    from migsmith.tools.dialects.mysql import split_script

    out = []
    for text in split_script(sql):
        body = _strip_leading_comments(text).strip().rstrip(";").strip()
        if not body:
            continue
        upper = body.upper()
        role = BODY
        if upper.startswith("SET SESSION") and "TIMEOUT" in upper:
            role = RESET if upper.endswith("DEFAULT") else SETTING
        elif "MIGSMITH_BACKFILL" in upper and upper.startswith(("DROP PROCEDURE", "CREATE PROCEDURE",
                                                               "CALL")):
            role = BACKFILL
        elif "@MIGSMITH_FAILED" in upper or "MIGSMITH_CHECK" in upper:
            role = CHECK
        out.append(Statement(sql=body, role=role))
    return out


# ----------------------------------------------------------------------------- SQLite
def _sqlite_statements(sql: str) -> list[Statement]:
    """SQLite steps carry their own BEGIN IMMEDIATE ... COMMIT and PRAGMAs that only work
    outside a transaction, so they run as their statements in order."""
    from migsmith.tools.proving.shadow.sqlite import split_sqlite

    statements = [st.text.rstrip().rstrip(";").rstrip() for st in split_sqlite(sql)]
    cursor = [i for i, s in enumerate(statements) if "migsmith_cursor" in s]
    out = []
    for i, body in enumerate(statements):
        role = BODY
        if body.upper().startswith("PRAGMA BUSY_TIMEOUT"):
            role = SETTING
        elif "migsmith_check" in body:
            role = CHECK
        elif cursor and cursor[0] <= i <= cursor[-1]:
            role = BACKFILL
        out.append(Statement(sql=body, role=role))
    return out


def _strip_leading_comments(text: str) -> str:
    from migsmith.tools.proving.shadow.sqlite import _strip_comments_before

    return _strip_comments_before(text)
