"""What every shadow database backend provides: a server, and fresh throwaway databases on it.

A shadow server is a context manager. Leaving it (normally, on an exception, on Ctrl-C, or on
SIGTERM inside ``cleanup_on_signals``) drops the databases it made, stops a server it started and
removes its temporary directory. Servers that someone else started (a test fixture, a user's
``--shadow-db``) are never stopped, only the databases made on them are dropped.
"""

from __future__ import annotations

import contextlib
from abc import ABC, abstractmethod
from dataclasses import dataclass

from migsmith.tools.errors import MigsmithError


@dataclass(frozen=True)
class ShadowDatabase:
    """One throwaway database: connect with ``url`` (as the unprivileged role that owns it);
    its objects live in ``namespace`` (None: the database's ordinary schemas)."""

    dialect: str
    url: str
    name: str
    namespace: str | None = None
    # A privileged session's URL on the same database, for the few things only it may do
    # before the schema loads (pg_owner.prepare_for_owner); None when ``url`` is that session.
    admin_url: str | None = None


class ShadowSession(ABC):
    """A connection to one shadow database, with what verification does there."""

    dialect: str = ""
    observes_locks = False  # whether apply(observe=True) records the locks of each statement

    @abstractmethod
    def load(self, ddl: str, label: str) -> None:
        """Run the starting schema's DDL (SchemaError if it does not load)."""

    @abstractmethod
    def start_schema(self):
        """The Schema model of what is in the database now (from its catalog)."""

    @abstractmethod
    def seed(self, schema, rows: int) -> None:
        """Insert ``rows`` sample rows per table (tools/proving/seed.py)."""

    @abstractmethod
    def snapshot(self) -> dict:
        """A catalog snapshot comparable with tools/catalog.diff."""

    @abstractmethod
    def fingerprint(self, snap: dict, keys: dict | None = None) -> dict:
        """Per table: {"rows", "columns": {name: checksum}, "key"} (see catalog.py)."""

    @abstractmethod
    def apply(self, sql: str, *, file: str, observe: bool = False) -> list:
        """Run a step file statement by statement; ExecutionError on failure."""

    @abstractmethod
    def count_mismatch(self, table: str, column: str, expression: str,
                       where: str | None) -> tuple[int, int]:
        """(rows matching ``where``, those whose ``column`` differs from ``expression``)."""

    @abstractmethod
    def server_version(self) -> str: ...

    def expression_checksum(self, table: str, expression: str, key: list[str]) -> str | None:
        """The checksum ``fingerprint`` would give a column holding ``expression`` (computed
        from the current rows); None where not supported."""
        return None

    def normalize_types(self, types: list[str]) -> dict[str, str] | None:
        """Type spellings -> how the catalog snapshot spells them (None: not comparable)."""
        return None

    def close(self) -> None: ...

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class ShadowServer(ABC):
    dialect: str = ""

    @abstractmethod
    def database(self, label: str = "plan") -> contextlib.AbstractContextManager[ShadowDatabase]:
        """A fresh, empty database, removed again when the block ends."""

    def session(self, db: ShadowDatabase) -> ShadowSession:
        """A session on ``db`` (one of this server's databases)."""
        if self.dialect == "mysql":
            from migsmith.tools.proving.shadow.mysql_session import MysqlSession

            return MysqlSession(db)
        raise ShadowError(f"verification on {self.dialect} shadow databases is not supported yet")

    def interrupt(self) -> None:
        """End every session on the databases made here (another thread is being stopped)."""

    def close(self) -> None:
        """Stop what this object started (servers, temp dirs). Safe to call twice."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def cleanup_on_signals() -> contextlib.AbstractContextManager[None]:
    """SIGINT, SIGTERM and SIGHUP stop the block the way an exception does, so ``finally``
    blocks and context managers clean up; a second signal cannot cut the cleanup short
    (``tools/signals.py``). Only the main thread can install handlers; elsewhere this does
    nothing."""
    from migsmith.tools.signals import handlers

    return handlers()


class ShadowError(MigsmithError):
    """A shadow database that cannot be started, reached or safely used."""
