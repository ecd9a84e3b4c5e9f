"""Splitting a MySQL script into statements the way the mysql client does (DELIMITER lines)."""

from __future__ import annotations

from migsmith.tools.dialects.base import is_integer_type


def split_script(sql: str) -> list[str]:
    """Split a MySQL script into statements the way the mysql client does: on ``;`` outside
    quotes and comments, honouring ``DELIMITER`` lines (used around stored procedures)."""
    statements: list[str] = []
    delimiter = ";"
    buf: list[str] = []
    i, n = 0, len(sql)
    quote: str | None = None
    at_line_start = True
    while i < n:
        ch = sql[i]
        if quote:
            buf.append(ch)
            if ch == "\\" and quote in "'\"" and i + 1 < n:
                buf.append(sql[i + 1])
                i += 2
                continue
            if ch == quote:
                quote = None
            i += 1
            at_line_start = False
            continue
        if at_line_start:
            line_end = sql.find("\n", i)
            line = sql[i: n if line_end == -1 else line_end]
            if line.strip().upper().startswith("DELIMITER "):
                rest = "".join(buf).strip()
                if rest:
                    statements.append(rest)
                buf = []
                delimiter = line.strip().split(None, 1)[1].strip()
                i = n if line_end == -1 else line_end + 1
                continue
        if _dash_comment(sql, i) or ch == "#":
            end = sql.find("\n", i)
            i = n if end == -1 else end + 1
            at_line_start = True
            buf.append("\n")
            continue
        if sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            i = n if end == -1 else end + 2
            continue
        if ch in "'\"`":
            quote = ch
            buf.append(ch)
            i += 1
            at_line_start = False
            continue
        if sql.startswith(delimiter, i):
            stmt = "".join(buf).strip()
            if stmt:
                statements.append(stmt)
            buf = []
            i += len(delimiter)
            at_line_start = False
            continue
        buf.append(ch)
        at_line_start = ch == "\n"
        i += 1
    rest = "".join(buf).strip()
    if rest:
        statements.append(rest)
    return statements


def _dash_comment(sql: str, i: int) -> bool:
    """``--`` starts a comment only when a blank or control character follows it (MySQL's
    rule: ``1--1`` is one minus minus one, not a comment)."""
    if not sql.startswith("--", i):
        return False
    return i + 2 >= len(sql) or sql[i + 2].isspace() or ord(sql[i + 2]) < 32


def is_integer_key(type_text: str) -> bool:
    return is_integer_type(type_text)
