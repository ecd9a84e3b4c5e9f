"""A small dialect-neutral view of a statement, for the rules that apply to every dialect.

Each dialect module builds one of these from its own AST (``pg.PgFacts`` from pglast,
``sqlglot_facts.SqlglotFacts`` from sqlglot), so a rule such as ``renaming-column`` is written once
against this interface and never touches a dialect's syntax tree. Rules that exist only for one
dialect read that dialect's AST directly (``ctx.node``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class TableRef:
    """A table name as written. ``schema`` is None when unqualified. Names are compared as the
    database would: pglast has already folded unquoted PostgreSQL identifiers to lower case;
    the sqlglot dialects fold here (MySQL on most platforms and SQLite compare table names
    case-insensitively)."""

    name: str
    schema: str | None = None
    # "table" for tables/views; "index" when only an index name is known (DROP INDEX, REINDEX
    # INDEX lock the index's table, which the statement does not name); "schema"/"database".
    kind: str = "table"

    def matches(self, other: TableRef) -> bool:
        # An unqualified name may resolve to the qualified one through search_path; treating them as
        # the same table errs towards "this table was created in this file", which only matters
        # for files that create a table and then touch a same-named table in another schema.
        if self.name != other.name or self.kind != other.kind:
            return False
        return self.schema is None or other.schema is None or self.schema == other.schema

    @property
    def temporary(self) -> bool:
        """In a session's temporary schema (SQLite ``temp.``, PostgreSQL ``pg_temp.``)."""
        return self.schema in ("temp", "pg_temp")

    def __str__(self) -> str:
        name = f"{self.schema}.{self.name}" if self.schema else self.name
        if self.kind == "index":
            return f"the table of index {name}"
        return name if self.kind == "table" else f"{self.kind} {name}"


@dataclass(frozen=True)
class DataChange:
    """An UPDATE or DELETE: which table, and whether its reach is limited.

    ``bounded`` means the statement visibly limits how many rows it touches in one go: a key range
    (``BETWEEN``, or a lower and an upper bound on one column), an equality/IN lookup on a column, a
    ``LIMIT`` (MySQL), or a sub-select/CTE with a ``LIMIT`` that picks the batch.
    """

    verb: Literal["update", "delete"]
    table: TableRef
    has_where: bool
    bounded: bool


@dataclass(frozen=True)
class RowCopy:
    """``INSERT INTO target SELECT ... FROM source`` (or ``CREATE TABLE target AS SELECT``) from one
    table. ``limited_by`` names what may leave rows behind (``WHERE``, ``LIMIT``, ``DISTINCT``,
    ``GROUP BY``); ``columns`` are the source columns the query reads, None for ``SELECT *``."""

    source: TableRef
    target: TableRef
    limited_by: str | None = None
    columns: frozenset[str] | None = None


TxEvent = Literal["begin", "commit", "rollback", "savepoint", "release", "rollback_to"]


@dataclass
class Facts:
    """What every dialect module fills in. Lists are empty when the statement does not do that."""

    created_tables: list[TableRef] = field(default_factory=list)
    dropped_tables: list[TableRef] = field(default_factory=list)
    renamed_tables: list[tuple[TableRef, str]] = field(default_factory=list)
    renamed_columns: list[tuple[TableRef, str, str]] = field(default_factory=list)
    dropped_columns: list[tuple[TableRef, str]] = field(default_factory=list)
    data_change: DataChange | None = None
    tx_event: TxEvent | None = None
    # Rows copied from one table into another. A table whose rows were all copied into a table
    # created in the same file can be dropped (SQLite's table rebuild, table swaps).
    copies: list[RowCopy] = field(default_factory=list)
    # (target, tables read, how): a table receiving rows from a query (INSERT ... SELECT, CREATE
    # TABLE ... AS). A new table filled from live tables has rows, and checking a constraint on
    # it takes time while the tables it references are locked.
    filled: list[tuple[TableRef, tuple[TableRef, ...], str]] = field(default_factory=list)
