"""Shadow databases: real, throwaway databases that plans are proven on.

``open_shadow(dialect, ...)`` returns a ShadowServer (a context manager); its ``database()``
gives one fresh database per plan. One server can serve many verifications.

Backends by dialect: ``postgres.py`` (pgserver wheel, initdb/pg_ctl, or a given server),
``sqlite.py`` (temp files) and ``mysql.py`` (written with the MySQL dialect; it must expose
``open_mysql_shadow(shadow_url=None, server_url=None, described_tables=..., force=False)``
returning a ShadowServer).
"""

from __future__ import annotations

import importlib

from migsmith.tools.proving.shadow.base import (ShadowDatabase, ShadowError, ShadowServer,
                                        cleanup_on_signals)

__all__ = ["ShadowDatabase", "ShadowError", "ShadowServer", "cleanup_on_signals",
           "open_shadow"]


def open_shadow(dialect: str, *, shadow_url: str | None = None, server_url: str | None = None,
                described_tables: set[str] | frozenset[str] = frozenset(),
                force: bool = False, spare_databases: int = 0,
                target_major: int | None = None, extensions: list[str] | tuple = ()
                ) -> ShadowServer:
    """A shadow server for ``dialect``.

    ``server_url``: a server this process may freely create and drop databases on (a test
    fixture, a benchmark's warm server); never stopped by us. ``shadow_url``: a user's
    ``--shadow-db``, checked first (``described_tables``/``force``). Neither: start a private
    server (PostgreSQL) or use temp files (SQLite). ``spare_databases``: with ``server_url``,
    keep that many empty databases made ahead (for many verifications in a row; the unused
    ones are dropped at exit, so only for servers that are themselves throwaway if the
    process may be killed). ``target_major``/``extensions`` (PostgreSQL): which server build
    a private server is started from (``postgres.start_server``); a user's server is checked
    for the extensions instead.
    """
    if dialect == "postgres":
        from migsmith.tools.proving.shadow import postgres

        if server_url:
            return postgres.PostgresShadow(server_url, spares=spare_databases)
        if shadow_url:
            shadow = postgres.user_shadow(shadow_url, described_tables=set(described_tables),
                                          force=force)
            postgres.check_extensions(shadow, list(extensions))
            return shadow
        return postgres.start_server(target_major, extensions)
    if dialect == "sqlite":
        from migsmith.tools.proving.shadow.sqlite import SqliteShadow

        return SqliteShadow()
    if dialect == "mysql":
        try:
            module = importlib.import_module("migsmith.tools.proving.shadow.mysql")
        except ModuleNotFoundError as exc:
            if exc.name != "migsmith.tools.proving.shadow.mysql":
                raise
            raise ShadowError("MySQL shadow databases are not supported yet") from None
        return module.open_mysql_shadow(shadow_url=shadow_url, server_url=server_url,
                                        described_tables=set(described_tables), force=force)
    raise ShadowError(f"no shadow database backend for dialect {dialect!r}")
