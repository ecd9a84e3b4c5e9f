"""PostgreSQL: capabilities per version; its locks (``locks.py``), type rules (``types.py``),
impact (``impact.py``) and monitoring (``monitoring.py``) beside it, and the online recipes from
``dialects/recipes/``.

Lock modes are the names pg_locks reports. The rules come from the PostgreSQL documentation of
ALTER TABLE, CREATE INDEX and explicit locking, and are checked against real servers by
``migsmith verify`` (observed locks) in the test suite.
"""

from __future__ import annotations

from migsmith.tools.dialects.base import Dialect
from migsmith.tools.dialects.postgres.dependents import PostgresDependents
from migsmith.tools.dialects.postgres.impact import PostgresImpact
from migsmith.tools.dialects.postgres.locks import PostgresLocks
from migsmith.tools.dialects.postgres.monitoring import PostgresMonitoring
from migsmith.tools.dialects.postgres.types import type_change_loss
from migsmith.tools.dialects.recipes import Recipes
from migsmith.tools.planning import actions as A
from migsmith.tools.spec.identifiers import bounded_name


class Postgres(PostgresLocks, PostgresImpact, PostgresMonitoring, PostgresDependents, Recipes,
               Dialect):
    name = "postgres"
    default_version = "14"
    transactional_ddl = True
    supports_concurrent_index = True
    supports_not_valid = True

    def type_change_loss(self, old: str, new: str) -> str | None:
        return type_change_loss(old, new)

    @property
    def fast_default(self) -> bool:
        return self.version >= (11,)

    @property
    def not_null_uses_check(self) -> bool:
        return self.version >= (12,)

    @property
    def commits_in_do(self) -> bool:
        return self.version >= (11,)

    def online_not_null(self, table: str, column: str) -> A.SetNotNull:
        return A.SetNotNull(table, column, check=bounded_name(
            table.split(".")[-1], column, suffix="not_null", dialect=self.name))
