"""MySQL 8 and MariaDB 10.11+: InnoDB online DDL, explicit algorithms, no transactional DDL.

The expand/contract recipes are PostgreSQL's (this class subclasses it); what differs is said
here:

- Every ALTER names its algorithm and lock (``ALGORITHM=INSTANT`` / ``INPLACE, LOCK=NONE`` /
  ``COPY, LOCK=SHARED``), so the server refuses a statement it cannot run that way instead of
  silently copying the table under a write lock. The rules are in ``online_rule`` with their
  sources (MySQL 8.0 "Online DDL Operations", MariaDB "InnoDB Online DDL Operations with the
  INSTANT/NOCOPY/INPLACE Alter Algorithm"), and were checked on MariaDB 10.11 by
  tests/dialects.
- DDL is not transactional: each statement commits on its own. Steps say so, and downs use
  IF [NOT] EXISTS (MariaDB) so they undo whatever part of a failed up ran.
- Preconditions cannot use DO blocks: a CASE over information_schema picks the first failed
  message, and a prepared statement built from it stops the script (SIGNAL on MariaDB; MySQL
  does not prepare SIGNAL, so the message itself is prepared and the server's syntax error
  quotes it). No stored routine is created for a check.
- Batched backfills are a stored procedure with a key-range loop that commits per batch; it is
  dropped at the end of the step. Scripts use the mysql client's DELIMITER lines, which
  ``split_script`` understands too.
- Locks are metadata-lock names as performance_schema.metadata_locks reports them.
- Column type changes that only COPY can do, and large-table rebuilds, get gh-ost and
  pt-online-schema-change command lines in the plan notes.
"""

from __future__ import annotations

import math
import re

from migsmith.tools.dialects.base import index_for
from migsmith.tools.dialects.mysql.dependents import MySQLDependents
from migsmith.tools.dialects.mysql.impact import MySQLImpact
from migsmith.tools.dialects.mysql.online import MySQLOnline
from migsmith.tools.dialects.mysql.recipes import MySQLRecipes
from migsmith.tools.dialects.mysql.script import split_script
from migsmith.tools.dialects.mysql.types import mysql_type_narrows
from migsmith.tools.dialects.postgres import Postgres
from migsmith.tools.errors import SpecError
from migsmith.tools.planning import actions as A
from migsmith.tools.schema.model import Column
from migsmith.tools.spec.identifiers import bounded_name

_LITERAL_DEFAULT = re.compile(
    r"^(-?\d+(\.\d+)?|'([^']|'')*'|NULL|TRUE|FALSE|CURRENT_TIMESTAMP(\(\d*\))?|NOW\(\))$",
    re.IGNORECASE)

class MySQL(MySQLOnline, MySQLRecipes, MySQLImpact, MySQLDependents, Postgres):
    name = "mysql"
    default_version = "8.0"
    transactional_ddl = False
    supports_concurrent_index = False
    supports_not_valid = False
    index_key_features = frozenset({"desc"})

    def __init__(self, version: str | None = None):
        super().__init__(version)
        self.is_mariadb = self.version_text.lower().startswith("mariadb")
        # Column definitions by (table, column), recorded while planning: MySQL restates the
        # whole column (MODIFY) to change NULL-ness, and the actions carry only names.
        self._columns: dict[tuple[str, str], Column] = {}
        self.env.filters["default_sql"] = self.default_sql
        self.env.filters["guard"] = self.guard

    @property
    def fast_default(self) -> bool:
        return True  # constant defaults are INSTANT (MySQL 8.0.12+, MariaDB 10.3+)

    def restate_columns(self, table, column: str) -> list[str]:
        # The schema model does not record ON UPDATE CURRENT_TIMESTAMP, so every TIMESTAMP or
        # DATETIME column is restated: setting a column to itself changes no value, and keeps
        # MySQL from stamping the backfill's time on each row (Sakila's last_update).
        return [c.name for c in table.columns if c.name != column and not c.generated
                and re.match(r"\s*(timestamp|datetime)\b", c.type, re.IGNORECASE)]

    @property
    def not_null_uses_check(self) -> bool:
        return False

    @property
    def instant_drop_column(self) -> bool:
        return self.version >= ((10, 4) if self.is_mariadb else (8, 0, 29))

    @property
    def instant_rename_column(self) -> bool:
        return self.version >= ((10, 5) if self.is_mariadb else (8, 0, 28))

    @property
    def instant_nullable(self) -> bool:
        return False  # measured on MariaDB 10.11: NULL <-> NOT NULL needs INPLACE (a rebuild)

    @property
    def if_exists_ddl(self) -> bool:
        """MariaDB has IF [NOT] EXISTS for columns, indexes and constraints; MySQL does not."""
        return self.is_mariadb

    def default_sql(self, text: str | None) -> str:
        """MySQL 8 needs parentheses around an expression default; literals stay bare."""
        if text is None:
            return "NULL"
        return text if _LITERAL_DEFAULT.match(text.strip()) else f"({text})"

    def coldef(self, table: str, column: str) -> Column:
        try:
            return self._columns[(table, column)]
        except KeyError:
            raise SpecError(f"internal: no definition recorded for {table}.{column}") from None

    def lock_wait_seconds(self, ms: int) -> int:
        return max(1, math.ceil(ms / 1000))

    def varchar_bytes(self, type_text: str) -> int | None:
        m = re.match(r"^(?:varchar|character varying)\((\d+)\)$", type_text.strip().lower())
        return int(m.group(1)) * 4 if m else None  # utf8mb4: up to 4 bytes a character

    # Words the shared (PostgreSQL-born) recipes use, said the MySQL way.
    _WORDING = ((" on the old column concurrently", " on the old column (INPLACE, LOCK=NONE)"),
                (" concurrently", " online (INPLACE, LOCK=NONE)"),
                ("pg_stat_statements", "performance_schema.events_statements_summary_by_digest"),
                ("ACCESS EXCLUSIVE", "exclusive metadata"))

    _VERBS = ("ALTER ", "CREATE ", "DROP ", "RENAME ", "UPDATE ", "SET SESSION foreign_key")

    def placeholder(self, type_text: str) -> str:
        base = type_text.lower()
        if base.startswith(("datetime", "timestamp")):
            return "'1970-01-01 00:00:01'"
        if base.startswith("date"):
            return "'1970-01-01'"
        if base.startswith("bool"):
            return "0"
        return super().placeholder(type_text)

    def backfill_procedure(self, action: A.Backfill) -> str:
        return bounded_name("migsmith_backfill", action.table.split(".")[-1], action.column,
                            dialect=self.name)

__all__ = ["MySQL", "split_script", "mysql_type_narrows", "index_for"]
