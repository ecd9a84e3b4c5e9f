"""Identifier validation and quoting.

Every name that reaches generated SQL passes through here first: names are checked against a
strict pattern (no quotes, no semicolons, no whitespace) and then always quoted, so a request
such as ``x; DROP TABLE y`` can never become SQL.
"""

from __future__ import annotations

import re

from migsmith.tools.errors import UnsafeIdentifierError

# Letters, digits, underscore and $ (PostgreSQL and MySQL both allow $ after the first char).
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]*$")
MAX_LENGTH = {"postgres": 63, "mysql": 64, "sqlite": 128}


def check_identifier(name: str, *, what: str = "identifier", dialect: str = "postgres") -> str:
    """Return ``name`` unchanged if it is a safe identifier, else raise UnsafeIdentifierError."""
    if not isinstance(name, str) or not name:
        raise UnsafeIdentifierError(f"{what} is empty")
    if not _NAME.fullmatch(name):  # fullmatch: "$" would also match before a final newline
        raise UnsafeIdentifierError(
            f"unsafe {what} {name!r}: use letters, digits and underscores, starting with a letter",
        )
    limit = MAX_LENGTH.get(dialect, 63)
    if len(name.encode()) > limit:
        raise UnsafeIdentifierError(
            f"{what} {name!r} is {len(name)} characters; {dialect} allows at most {limit}",
        )
    return name


def check_table_name(name: str, *, dialect: str = "postgres") -> str:
    """A table name, optionally schema-qualified once (``app.users``)."""
    parts = name.split(".") if isinstance(name, str) else [name]
    if len(parts) > 2:
        raise UnsafeIdentifierError(f"unsafe table name {name!r}: at most one schema qualifier")
    for part in parts:
        check_identifier(part, what="table name", dialect=dialect)
    return name


def quote_ident(name: str, dialect: str = "postgres") -> str:
    """Quote a (pre-checked) identifier, and each part of a qualified table name."""
    parts = name.split(".")
    for part in parts:
        check_identifier(part, dialect=dialect)
    q = "`" if dialect == "mysql" else '"'
    return ".".join(f"{q}{p}{q}" for p in parts)


def bounded_name(*parts: str, suffix: str = "", dialect: str = "postgres") -> str:
    """Build a generated object name (index, constraint, trigger) within the dialect's limit.

    Long names are shortened with a stable hash rather than silently truncated by the server.
    """
    import hashlib

    base = "_".join(p.replace(".", "_") for p in parts if p)
    name = f"{base}_{suffix}" if suffix else base
    limit = MAX_LENGTH.get(dialect, 63)
    if len(name) <= limit:
        return name
    digest = hashlib.sha1(name.encode()).hexdigest()[:8]
    keep = limit - len(digest) - len(suffix) - 2
    return f"{base[:keep]}_{digest}_{suffix}" if suffix else f"{base[: limit - 9]}_{digest}"


def sql_string(text: str, dialect: str = "postgres") -> str:
    """A SQL string literal (used for messages and catalog lookups): standard quoting, and on
    MySQL backslashes doubled too, since its string literals treat ``\\`` as an escape (a
    backslash before a doubled quote would otherwise end the literal early)."""
    if dialect == "mysql":
        text = text.replace("\\", "\\\\")
    return "'" + text.replace("'", "''") + "'"
