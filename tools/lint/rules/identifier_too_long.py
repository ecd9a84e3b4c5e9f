"""Identifiers longer than PostgreSQL's 63-byte limit."""

import re

from pglast.parser import scan

id = "identifier-too-long"
severity = "warning"
category = "taste"
message = "identifier longer than 63 bytes is silently truncated"
why = """
PostgreSQL cuts identifiers to 63 bytes (NAMEDATALEN - 1) with only a NOTICE, so the object is
created under a different name than the one written: later migrations, ORMs and monitoring that
use the full name do not find it, and two long names sharing a 63-byte prefix collide. The
limit is in bytes, so non-ASCII names hit it sooner.
"""
safe_rewrite = """
-- keep names at most 63 bytes, e.g. abbreviate: idx_orders_customer_id_created_at
"""

LIMIT = 63


def _identifier(token_text: str) -> str:
    if token_text.startswith('"'):
        return token_text[1:-1].replace('""', '"')
    return token_text.lower()


# A pre-filter, not a parser: a name over 63 bytes is at least 16 characters of identifier
# characters (4 bytes at most each), bare or after a double quote. Statements without such a
# run cannot hold one, and are not scanned.
_LONG_RUN = re.compile(r'[\w$\u0080-\U0010ffff]{16,}|"[^"]{16,}')


def check(ctx):
    text = ctx.stmt.text
    if len(text.encode()) <= LIMIT or not any(len(m.group().encode()) > LIMIT for m in _LONG_RUN.finditer(text)):
        return
    # The parser has already truncated names in the AST, so read the lexer's tokens instead.
    seen = set()
    for tok in scan(text):
        if tok.name != "IDENT":
            continue
        name = _identifier(text[tok.start:tok.end + 1])
        size = len(name.encode())
        if size > LIMIT and name not in seen:
            seen.add(name)
            yield ctx.hit(f"identifier {name!r} is {size} bytes and will be truncated to 63")
