"""Keeping a verification inside the throwaway schema it runs in.

With a ``--shadow-db`` role that may not create databases, the plan is proven in a schema
migsmith creates in the given database, with ``search_path`` pinned to it: every unqualified
name then resolves there and nowhere else. A name qualified with another schema of that
database (``public.users``) would reach the user's real tables, and a statement that moves
``search_path`` or the session's role would undo the pin. So, before any of it runs, the schema
file and every step file must name no other schema of the database and touch neither; otherwise
verification refuses, before it has changed anything.
"""

from __future__ import annotations

import re

from migsmith.tools.proving.shadow.base import ShadowError

_ALWAYS_SAFE = ("pg_catalog", "information_schema")
_PIN_CHANGES = re.compile(r"search_path|\bSET\s+(?:LOCAL\s+|SESSION\s+)?ROLE\b|\bRESET\s+ROLE\b|"
                          r"SESSION\s+AUTHORIZATION|\bCREATE\s+SCHEMA\b|\bRESET\s+ALL\b",
                          re.IGNORECASE)


def other_schemas(conn, namespace: str) -> list[str]:
    """The schemas of the database a statement could reach besides ``namespace``."""
    rows = conn.execute("SELECT nspname FROM pg_namespace").fetchall()
    return [n for (n,) in rows if n != namespace and n not in _ALWAYS_SAFE
            and not n.startswith("pg_")]


def check_confined(sql: str, label: str, namespace: str, schemas: list[str]) -> None:
    """ShadowError when ``sql`` could act outside ``namespace``."""
    pin = _PIN_CHANGES.search(sql)
    if pin:
        raise ShadowError(f"{label}: {pin.group(0)!r} would leave the throwaway schema this "
                          "verification runs in", hint=_HINT)
    for name in schemas:
        quoted = '"' + name.replace('"', '""') + '"'
        pattern = (rf'(?<![\w"$]){re.escape(quoted)}\s*\.' if name != name.lower() else
                   rf'(?<![\w"$])(?:{re.escape(name)}|{re.escape(quoted)})\s*\.')
        if re.search(pattern, sql, flags=0 if name != name.lower() else re.IGNORECASE):
            raise ShadowError(f"{label} names schema {name!r} of the --shadow-db database; "
                              "verification there runs in a throwaway schema and would reach "
                              "the real tables", hint=_HINT)


_HINT = ("give --shadow-db a role that may create databases (verification then runs in a "
         "database of its own), or use unqualified names")
