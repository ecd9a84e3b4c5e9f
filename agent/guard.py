"""Checks on what goes into and comes out of the agent, whatever model is behind it.

A request is plain words, not SQL: statement separators followed by SQL keywords are refused
before any model sees them. A spec may only destroy what the user explicitly asked to destroy.
"""

from __future__ import annotations

import re

from migsmith.agent.config import MAX_REQUEST_CHARS
from migsmith.tools.errors import SpecError

_SQL_INJECTION = re.compile(
    r";\s*(?:drop\s+(?:table|column|index|database|schema|view|materialized|constraint|owned|"
    r"function|trigger|type|role|user|sequence|extension)|delete\s+from|truncate|alter\s+(?:table|"
    r"database|role|user|system)|update\s+\S+\s+set|insert\s+into|grant|revoke|create\s+(?:or\s+replace|function|"
    r"trigger|rule|role|user|extension|procedure)|copy|"
    r"do\s|select|vacuum|call\s+\w+\s*\()"
    r"|--|/\*|\bpg_sleep\b|\bexecute\s+format\b", re.IGNORECASE)
_DROP_WORDS = re.compile(r"\b(drop|drops|dropped|dropping|remove|removed|removing|delete|deleting|get rid of|"
                         r"remove_column|remove_index|drop_table|"
                         r"rid of|eliminate|discard|no longer need(?:ed)?)\b", re.IGNORECASE)
DESTRUCTIVE_OPS = ("drop_table", "drop_column", "drop_index", "drop_constraint")


def check_request(request: str) -> str:
    """The request, stripped; a SpecError for empty, oversized or SQL-smuggling input.

    A second SQL statement after a semicolon is refused ("add column x; drop table users");
    a semicolon between sentences is not ("it was replaced last year; drop it").
    """
    text = (request or "").strip()
    if not text:
        raise SpecError("the request is empty: say what should change, e.g. "
                        "\"add a boolean column email_verified to users\"")
    if len(text) > MAX_REQUEST_CHARS:
        raise SpecError(f"the request is {len(text)} characters; keep it under "
                        f"{MAX_REQUEST_CHARS} (one change, or a few, in plain words)")
    match = _SQL_INJECTION.search(text)
    if match:
        raise SpecError(
            f"the request contains SQL ({match.group(0).strip()!r}); nothing was planned",
            hint="describe the change in words, e.g. \"add a text column x to users\"; "
                 "migsmith writes the SQL itself and drops nothing you did not ask for by name")
    return text


def unrequested_destruction(ops, request_text: str, schema=None) -> str | None:
    """Why a destructive operation was not asked for, or None when every one was.

    Asked for means the request uses a removal word and names the thing removed (an index or
    constraint may also be named by its table and all of its columns).
    """
    words = {w.lower() for w in re.findall(r"[A-Za-z_][\w]*", request_text)}
    has_drop_word = bool(_DROP_WORDS.search(request_text))
    for op in ops:
        if op.op not in DESTRUCTIVE_OPS:
            continue
        target = op.column if op.op == "drop_column" else (op.name if op.op in ("drop_index", "drop_constraint") else op.table)
        names = {target.lower(), target.split(".")[-1].lower()}
        if op.op == "drop_table":
            base = target.split(".")[-1].lower()
            names |= {base.rstrip("s"), base + "s"}
        if op.op in ("drop_index", "drop_constraint") and schema is not None:
            found = (schema.find_index(op.name) if op.op == "drop_index" else None)
            if found is None and op.op == "drop_constraint" and op.table and schema.has_table(op.table):
                con = schema.table(op.table).constraint_named(op.name)
                found = (schema.table(op.table), con) if con else None
            if found and found[1].columns and {found[0].name.lower(), *(c.lower() for c in found[1].columns)} <= words:
                names.add(found[0].name.lower())
        if not has_drop_word or not (names & words):
            return (f"the request does not ask to remove {target!r}, so the spec may not "
                    f"{op.op.replace('_', ' ')} it; submit only what was asked for")
    return None
