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


# A pre-filter, not a parser: a name over 63 bytes is a run of more than 63 identifier
# characters in ASCII text (at least 16 when non-ASCII characters, up to 4 bytes each, may be in
# it), bare or between double quotes (a quote that closes one name and opens the next can pair
# wrongly, which only ever makes a match, never loses one). Statements without such a run
# cannot hold one, and are not scanned.
_LONG_ASCII = re.compile(r'(?<![\w$])[\w$]{64,}|"[^"]{64,}"', re.ASCII)  # runs tried from their start only
_LONG_ANY = re.compile(r'(?<![\w$\u0080-\U0010ffff])[\w$\u0080-\U0010ffff]{16,}|"(?:[^"]|""){16,}"')


def _may_hold_a_long_name(text: str) -> bool:
    if len(text) <= LIMIT:
        return len(text.encode()) > LIMIT
    if text.isascii() and '""' not in text:  # no "" escapes to split a quoted name
        return _LONG_ASCII.search(text) is not None
    return any(len(m.group().encode()) > LIMIT for m in _LONG_ANY.finditer(text))


def check(ctx):
    text = ctx.stmt.text
    if not _may_hold_a_long_name(text):
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
