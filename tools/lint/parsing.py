"""Split a file into statements with real parsers, and find its comments.

PostgreSQL goes through pglast (libpg_query, i.e. PostgreSQL's own grammar); MySQL and SQLite go
through sqlglot. Both paths produce the same things: a list of ``Statement`` with character
offsets, line and column, and a list of ``Comment`` spans for the directive reader. SQL text is
never taken apart with regular expressions here; the only regex matches the whitespace/comment
gaps *between* sqlglot tokens, which by construction contain nothing else.
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass

from migsmith.tools.errors import SQLParseError
from migsmith.tools.lint.model import Statement


@dataclass(frozen=True)
class Comment:
    start: int  # character offset of the comment's first character
    end: int  # exclusive
    text: str


class LineIndex:
    """Character offset -> 1-based (line, column)."""

    def __init__(self, text: str):
        self._starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
        self._len = len(text)

    def position(self, offset: int) -> tuple[int, int]:
        offset = max(0, min(offset, self._len))
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1


@dataclass
class ParsedFile:
    statements: list[Statement]
    comments: list[Comment]
    lines: LineIndex


# --------------------------------------------------------------------------------------------
# PostgreSQL (pglast)
# --------------------------------------------------------------------------------------------

_PG_COMMENT_TOKENS = {"SQL_COMMENT", "C_COMMENT"}


def parse_postgres(sql: str, filename: str | None = None) -> ParsedFile:
    from pglast import parse_sql
    from pglast.parser import ParseError, scan

    from migsmith.tools.lint.pg import build_facts

    lines = LineIndex(sql)
    try:
        raw_stmts = parse_sql(sql)
    except ParseError as exc:
        message, position = (exc.args + (None,))[:2]
        if not isinstance(position, int) and "end of input" in str(message):
            position = len(sql.rstrip())  # libpg_query gives no cursor for "at end of input"
        line, column = lines.position(position) if isinstance(position, int) else (None, None)
        raise SQLParseError(str(message), file=filename, line=line, column=column) from None

    # The scanner gives every token with character offsets (end inclusive), comments included.
    # We use it to find comments and to trim each statement to its first and last real token:
    # libpg_query's stmt_location may include leading whitespace/comments, and stmt_len == 0
    # means "to the end of the input", trailing comments and all.
    tokens = scan(sql) if sql.strip() else []
    comments = [Comment(t.start, t.end + 1, sql[t.start:t.end + 1])
                for t in tokens if t.name in _PG_COMMENT_TOKENS]
    code = [t for t in tokens if t.name not in _PG_COMMENT_TOKENS and t.name != "ASCII_59"]
    code_starts = [t.start for t in code]

    statements: list[Statement] = []
    for raw in raw_stmts:
        loc = raw.stmt_location or 0
        limit = loc + raw.stmt_len if raw.stmt_len else len(sql)
        first = bisect.bisect_left(code_starts, loc)
        last = bisect.bisect_left(code_starts, limit) - 1
        if first > last:  # cannot happen for a statement pglast returned; be defensive
            start, end = loc, limit
        else:
            start, end = code[first].start, code[last].end + 1
        line, column = lines.position(start)
        stmt = Statement(index=len(statements), node=raw.stmt, text=sql[start:end], start=start,
                         end=end, line=line, column=column)
        stmt.facts = build_facts(raw.stmt)
        statements.append(stmt)
    return ParsedFile(statements, comments, lines)


# --------------------------------------------------------------------------------------------
# MySQL / SQLite (sqlglot)
# --------------------------------------------------------------------------------------------

# A gap between two tokens is whitespace and comments only. Matching it lets us recover comment
# positions, which sqlglot otherwise only attaches (without offsets) to neighbouring tokens.
_GAP = re.compile(r"(?:\s+|--[^\n]*|#[^\n]*|/\*.*?\*/)*", re.S)
_GAP_COMMENT = re.compile(r"--[^\n]*|#[^\n]*|/\*.*?\*/", re.S)


def _gap_comments(sql: str, lo: int, hi: int, dialect: str) -> list[Comment]:
    gap = sql[lo:hi]
    if not gap.strip() or not _GAP.fullmatch(gap):
        # Not a pure gap: sqlglot's "Command" fallback reports odd spans for its raw-text token.
        return []
    found = []
    for m in _GAP_COMMENT.finditer(gap):
        if m.group().startswith("#") and dialect != "mysql":
            continue
        found.append(Comment(lo + m.start(), lo + m.end(), m.group()))
    return found


def parse_sqlglot(sql: str, dialect: str, filename: str | None = None) -> ParsedFile:
    from sqlglot.dialects.dialect import Dialect
    from sqlglot.errors import ErrorLevel, ParseError, TokenError
    from sqlglot.tokens import TokenType

    from migsmith.tools.lint.sqlglot_facts import build_facts

    lines = LineIndex(sql)
    engine = Dialect.get_or_raise(dialect)
    try:
        tokens = engine.tokenize(sql)
    except TokenError as exc:
        raise SQLParseError(f"cannot tokenize SQL: {exc}", file=filename) from None

    comments: list[Comment] = []
    prev_end = 0
    for tok in tokens:
        if tok.start >= prev_end:
            comments.extend(_gap_comments(sql, prev_end, tok.start, dialect))
        prev_end = max(prev_end, tok.end + 1)
    comments.extend(_gap_comments(sql, prev_end, len(sql), dialect))

    chunks: list[list] = [[]]
    for tok in tokens:
        if tok.token_type == TokenType.SEMICOLON:
            chunks.append([])
        else:
            chunks[-1].append(tok)

    statements: list[Statement] = []
    # sqlglot logs a warning whenever it falls back to a raw "Command"; that is expected here.
    sqlglot_logger = logging.getLogger("sqlglot")
    previous_level = sqlglot_logger.level
    sqlglot_logger.setLevel(logging.ERROR)
    try:
        for chunk in chunks:
            if not chunk:
                continue
            try:
                parsed = engine.parser(error_level=ErrorLevel.RAISE).parse(chunk, sql)
            except ParseError as exc:
                err = exc.errors[0] if exc.errors else {}
                raise SQLParseError(err.get("description") or str(exc), file=filename,
                                    line=err.get("line"), column=err.get("col")) from None
            node = next((p for p in parsed if p is not None), None)
            if node is None:
                continue
            start = chunk[0].start
            end = max(t.end for t in chunk) + 1
            if end <= start:  # Command fallback tokens can report a bogus end
                end = len(sql)
            line, column = lines.position(start)
            stmt = Statement(index=len(statements), node=node, text=sql[start:end], start=start,
                             end=end, line=line, column=column)
            stmt.facts = build_facts(node, dialect)
            statements.append(stmt)
    finally:
        sqlglot_logger.setLevel(previous_level)
    return ParsedFile(statements, comments, lines)


def parse(sql: str, dialect: str, filename: str | None = None) -> ParsedFile:
    if dialect == "postgres":
        return parse_postgres(sql, filename)
    return parse_sqlglot(sql, dialect, filename)
