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
from itertools import accumulate
from typing import Any

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
        # line starts from the lengths of the lines (keepends): C speed, not a loop per character
        self._starts = [0, *accumulate(map(len, text.split("\n")))]
        for n in range(1, len(self._starts)):
            self._starts[n] += n  # each "\n" split away
        self._starts.pop()
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


def _skip_gap(sql: str, pos: int, limit: int) -> int:
    """The offset of the first character at or after ``pos`` that is neither whitespace nor part
    of a comment (``--`` to the end of the line, ``/* */`` nested as PostgreSQL nests them)."""
    while pos < limit:
        ch = sql[pos]
        if ch.isspace():
            pos += 1
        elif sql.startswith("--", pos):
            end = sql.find("\n", pos, limit)
            pos = limit if end < 0 else end + 1
        elif sql.startswith("/*", pos):
            depth, pos = 1, pos + 2
            while depth and pos < limit:
                if sql.startswith("/*", pos):
                    depth, pos = depth + 1, pos + 2
                elif sql.startswith("*/", pos):
                    depth, pos = depth - 1, pos + 2
                else:
                    pos += 1
        else:
            break
    return pos


def parse_postgres(sql: str, filename: str | None = None) -> ParsedFile:
    from pglast.parser import ParseError, scan

    from migsmith.tools.lint.pg import build_facts
    from migsmith.tools.lint.pg_tree import parse_sql

    lines = LineIndex(sql)
    try:
        raw_stmts = parse_sql(sql)
    except ParseError as exc:
        message, position = (exc.args + (None,))[:2]
        if not isinstance(position, int) and "end of input" in str(message):
            position = len(sql.rstrip())  # libpg_query gives no cursor for "at end of input"
        line, column = lines.position(position) if isinstance(position, int) else (None, None)
        raise SQLParseError(str(message), file=filename, line=line, column=column) from None

    # Comments are only needed for migsmith: directives; the scanner (PostgreSQL's own, comments
    # included) runs only when the text mentions one. Each statement is trimmed to its first and
    # last real token: libpg_query's stmt_location includes the whitespace and comments before
    # it, and its end may take in a comment before the ';' (or, for a last statement without one,
    # everything to the end of the input): a statement with a comment in it is scanned.
    comments = []
    if "migsmith:" in sql:
        comments = [Comment(t.start, t.end + 1, sql[t.start:t.end + 1])
                    for t in scan(sql) if t.name in _PG_COMMENT_TOKENS]

    statements: list[Statement] = []
    for raw in raw_stmts:
        loc = raw.stmt_location or 0
        start = _skip_gap(sql, loc, len(sql))
        limit = loc + raw.stmt_len if raw.stmt_len else len(sql)
        body = sql[start:limit]
        if "--" in body or "/*" in body:  # may end in a comment: the scanner finds the last token
            code = [t for t in scan(body) if t.name not in _PG_COMMENT_TOKENS and t.name != "ASCII_59"]
            end = start + code[-1].end + 1 if code else start + len(body.rstrip())
        else:
            end = start + len(body.rstrip().removesuffix(";").rstrip())
        end = max(end, start + 1)
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


# The mysql client's DELIMITER command (client-side, line-based, not SQL): it changes the
# statement terminator, typically around CREATE PROCEDURE/TRIGGER bodies that contain ';'.
_DELIMITER_LINE = re.compile(r"^[ \t]*delimiter[ \t]+(\S+)[ \t]*$", re.I | re.M)


def _regions(sql: str, dialect: str) -> list[tuple[int, int, str]]:
    """(start, end, terminator) spans of the file, split at DELIMITER lines (MySQL only)."""
    if dialect != "mysql":
        return [(0, len(sql), ";")]
    regions, pos, terminator = [], 0, ";"
    for m in _DELIMITER_LINE.finditer(sql):
        regions.append((pos, m.start(), terminator))
        pos, terminator = m.end(), m.group(1)
    regions.append((pos, len(sql), terminator))
    return regions


def _opaque(text: str) -> Any:
    """A statement sqlglot cannot parse (stored-program bodies, DEALLOCATE PREPARE, MariaDB
    extensions such as ADD INDEX IF NOT EXISTS), kept the way sqlglot keeps statements it does not
    model: a Command with the leading keyword and the raw rest. Rules that need more read it
    token by token."""
    from sqlglot import exp

    word, _, rest = text.strip().partition(" ")
    return exp.Command(this=word.upper(), expression=exp.Literal.string(rest.strip()))


class _SqlglotFile:
    def __init__(self, sql: str, dialect: str, filename: str | None):
        from sqlglot.dialects.dialect import Dialect

        self.sql, self.dialect, self.filename = sql, dialect, filename
        self.engine = Dialect.get_or_raise(dialect)
        self.lines = LineIndex(sql)
        self.statements: list[Statement] = []
        self.comments: list[Comment] = []

    def tokenize(self, lo: int, hi: int, *, strict: bool):
        from sqlglot.errors import TokenError

        try:
            return self.engine.tokenize(self.sql[lo:hi])
        except TokenError as exc:
            if not strict:
                return None
            line, column = self.lines.position(lo)
            raise SQLParseError(f"cannot tokenize SQL: {exc}", file=self.filename,
                                line=line, column=column) from None

    def collect_comments(self, lo: int, hi: int, tokens) -> None:
        prev_end = lo
        for tok in tokens:
            if lo + tok.start >= prev_end:
                self.comments.extend(_gap_comments(self.sql, prev_end, lo + tok.start, self.dialect))
            prev_end = max(prev_end, lo + tok.end + 1)
        self.comments.extend(_gap_comments(self.sql, prev_end, hi, self.dialect))

    def add(self, node: Any, start: int, end: int) -> None:
        from migsmith.tools.lint.sqlglot_facts import build_facts

        line, column = self.lines.position(start)
        stmt = Statement(index=len(self.statements), node=node, text=self.sql[start:end],
                         start=start, end=end, line=line, column=column)
        stmt.facts = build_facts(node, self.dialect)
        self.statements.append(stmt)

    def parse_chunk(self, tokens, text: str) -> Any:
        from sqlglot.errors import ErrorLevel, ParseError

        try:
            parsed = self.engine.parser(error_level=ErrorLevel.RAISE).parse(tokens, text)
        except ParseError:
            return _opaque(text[tokens[0].start:tokens[-1].end + 1])
        return next((p for p in parsed if p is not None), None)

    def semicolon_region(self, lo: int, hi: int) -> None:
        from sqlglot.tokens import TokenType

        tokens = self.tokenize(lo, hi, strict=True)
        self.collect_comments(lo, hi, tokens)
        text = self.sql[lo:hi]
        chunk: list = []
        for tok in tokens + [None]:
            if tok is not None and tok.token_type != TokenType.SEMICOLON:
                chunk.append(tok)
                continue
            if chunk:
                node = self.parse_chunk(chunk, text)
                if node is not None:
                    start = lo + chunk[0].start
                    end = lo + max(t.end for t in chunk) + 1
                    if end <= start:  # a Command's raw-text token can report a bogus span
                        end = hi
                    self.add(node, start, end)
            chunk = []

    def delimited_region(self, lo: int, hi: int, terminator: str) -> None:
        # Statements end at the terminator at the end of a line ("END $$"). Bodies between
        # terminators are usually stored programs, which sqlglot cannot parse: they become opaque.
        text = self.sql[lo:hi]
        pieces, pos = [], 0
        ends = re.compile(re.escape(terminator) + r"[ \t]*(?:\n|$)")
        for m in ends.finditer(text):
            pieces.append((pos, m.start()))
            pos = m.end()
        pieces.append((pos, len(text)))
        for a, b in pieces:
            tokens = self.tokenize(lo + a, lo + b, strict=False)
            if tokens:
                self.collect_comments(lo + a, lo + b, tokens)
                start, end = lo + a + tokens[0].start, lo + a + max(t.end for t in tokens) + 1
                node = self.parse_chunk(tokens, text[a:b])
            else:
                stripped = text[a:b].strip()
                if not stripped:
                    continue
                start = lo + a + text[a:b].index(stripped)
                end, node = start + len(stripped), _opaque(stripped)
            if node is not None:
                self.add(node, start, max(end, start + 1))


def parse_sqlglot(sql: str, dialect: str, filename: str | None = None) -> ParsedFile:
    """MySQL/SQLite. sqlglot is not the server's grammar: a statement it cannot parse is kept as
    an opaque Command (see ``_opaque``) rather than rejected; only SQL that cannot even be
    tokenized (an unterminated string or quoted name) raises SQLParseError."""
    parsed = _SqlglotFile(sql, dialect, filename)
    # sqlglot logs a warning whenever it falls back to a raw "Command"; that is expected here.
    sqlglot_logger = logging.getLogger("sqlglot")
    previous_level = sqlglot_logger.level
    sqlglot_logger.setLevel(logging.ERROR)
    try:
        for lo, hi, terminator in _regions(sql, dialect):
            if terminator == ";":
                parsed.semicolon_region(lo, hi)
            else:
                parsed.delimited_region(lo, hi, terminator)
    finally:
        sqlglot_logger.setLevel(previous_level)
    return ParsedFile(parsed.statements, parsed.comments, parsed.lines)


def parse(sql: str, dialect: str, filename: str | None = None) -> ParsedFile:
    if dialect == "postgres":
        return parse_postgres(sql, filename)
    return parse_sqlglot(sql, dialect, filename)
