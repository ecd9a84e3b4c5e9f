"""Reading the schema of a live database (read-only), one module per dialect.

``load_live_schema(url, dialect=...)`` dispatches to ``live_postgres.py`` here, and to
``live_mysql.py`` / ``live_sqlite.py`` (written with those dialects), each exposing
``load_<dialect>_schema(url) -> Schema``.
"""

from __future__ import annotations

import importlib
import re

from migsmith.tools.errors import SchemaError
from migsmith.tools.schema.model import Schema

_PASSWORD_IN_URL = re.compile(r"^(?P<head>[a-zA-Z][\w+.-]*://[^:/@?#]*:)(?P<pw>[^@/?#]*)@")
_PASSWORD_IN_DSN = re.compile(r"(?P<head>\bpassword\s*=\s*)(?P<pw>'(?:[^'\\]|\\.)*'|\S+)",
                              re.IGNORECASE)
_PASSWORD_IN_QUERY = re.compile(r"(?P<head>[?&]password=)(?P<pw>[^&#]*)", re.IGNORECASE)


def redact_url(url: str) -> str:
    """``url`` with any password replaced by ***, fit for logs, errors and plan files."""
    out = _PASSWORD_IN_URL.sub(lambda m: m.group("head") + ("***" if m.group("pw") else "") + "@",
                               url)
    out = _PASSWORD_IN_QUERY.sub(lambda m: m.group("head") + "***", out)
    return _PASSWORD_IN_DSN.sub(lambda m: m.group("head") + "***", out)


def load_live_schema(url: str, dialect: str | None = None) -> Schema:
    """The schema of the database at ``url``, read through the catalog without writing."""
    dialect = dialect or guess_dialect(url)
    if dialect == "postgres":
        from migsmith.tools.schema.live_postgres import load_postgres_schema

        return load_postgres_schema(url)
    try:
        module = importlib.import_module(f"migsmith.tools.schema.live_{dialect}")
    except ModuleNotFoundError as exc:
        if exc.name != f"migsmith.tools.schema.live_{dialect}":
            raise
        raise SchemaError(f"reading a live {dialect} schema is not supported yet") from None
    return getattr(module, f"load_{dialect}_schema")(url)


def guess_dialect(url: str) -> str:
    low = url.lower()
    if low.startswith(("mysql", "mariadb")):
        return "mysql"
    if low.startswith("sqlite"):
        return "sqlite"
    return "postgres"
