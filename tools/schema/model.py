"""The schema model: what tables, columns, indexes and constraints exist, and how big tables are.

Loaded from a DDL file or a live database; every operation of a spec is checked against it.
Lookups that miss raise a SpecError that suggests the nearest names.

What planning needs is modelled; everything else a schema holds is kept, unread, as opaque DDL:

- relations (``Table``): ordinary tables, views and materialized views (``kind``), partitioned
  tables (``partitioning``: strategy and key) and their partitions (``partition_of`` with the
  ``partition_bound`` as the server prints it), with columns (types as the catalog spells them,
  enums and domains by name, arrays as ``type[]``; defaults; identity; ``generated``
  expressions; collations), indexes (``Index.keys``: per key the column or expression, DESC,
  NULLS FIRST/LAST, collation and operator class; ``include``; ``where``; ``method``),
  constraints and triggers (``Trigger``: timing, events, level, the columns of UPDATE OF, the
  function it calls on PostgreSQL, its body on MySQL/SQLite);
- a view's or materialized view's ``definition`` and ``depends_on`` (``ColumnUse``: every
  table column it reads, or a whole relation when no column is known), so a change to a
  column can find the views that read it (``Schema.views_using``);
- schema-level objects: ``types`` (enum labels, a domain's base type and checks, composite and
  range types), ``functions`` (language, what they return, their body), ``sequences`` (and
  the column that owns one), ``extensions``;
- ``opaque``: every statement of a schema file that the loader keeps without modelling it
  (policies, grants, comments, rules, routines it cannot read ...), with its line;
  ``unresolved`` says what a file left ambiguous (a partition whose columns come from its
  parent, a statement the parser could not read) -- the shadow database's catalog settles
  those (``tools/proving/shadow``), since the server has run the file itself.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from migsmith.tools.errors import SpecError, did_you_mean
from migsmith.tools.lazy_model import LazyModel


class Column(LazyModel):
    name: str
    type: str
    nullable: bool = True
    default: str | None = None
    identity: bool = False  # GENERATED ... AS IDENTITY / AUTO_INCREMENT / serial
    generated: str | None = None  # GENERATED ALWAYS AS (expression): the database fills it
    generated_virtual: bool = False  # computed when read (SQLite's default), not STORED
    collation: str | None = None  # a collation other than the type's default
    # Added by the plan being built (evolve.py): it holds no values of the user's yet, so a
    # backfill that sets it overwrites nothing. Never part of a dump.
    added_here: bool = Field(False, exclude=True)


class IndexKey(LazyModel):
    """One key of an index: a column or an expression, and how it is ordered and compared.
    Only what differs from the defaults is set (ASC, NULLS LAST for ASC / FIRST for DESC,
    the column's collation, the type's default operator class)."""

    column: str | None = None
    expression: str | None = None  # SQL text (as the catalog prints it, when read from one)
    descending: bool = False
    nulls: Literal["first", "last"] | None = None
    collation: str | None = None
    opclass: str | None = None


class Index(LazyModel):
    name: str
    table: str
    columns: list[str] = Field(default_factory=list)  # expressions appear as their SQL text
    unique: bool = False
    primary: bool = False
    where: str | None = None
    method: str | None = None
    valid: bool = True
    definition: str | None = None  # the CREATE INDEX text, when known
    keys: list[IndexKey] = Field(default_factory=list)  # per key; empty when not known
    include: list[str] = Field(default_factory=list)  # INCLUDE (...) columns
    columns_used: list[str] = Field(default_factory=list)  # every column it reads (keys,
    # expressions, INCLUDE, WHERE), when known


class Constraint(LazyModel):
    name: str
    table: str
    kind: Literal["primary_key", "unique", "foreign_key", "check", "exclusion"]
    columns: list[str] = Field(default_factory=list)
    ref_table: str | None = None
    ref_columns: list[str] = Field(default_factory=list)
    expression: str | None = None
    on_delete: str | None = None
    on_update: str | None = None
    validated: bool = True
    index: str | None = None  # backing index of primary/unique constraints


class Trigger(LazyModel):
    name: str
    table: str
    timing: Literal["before", "after", "instead of"] = "after"
    events: list[str] = Field(default_factory=list)  # insert, update, delete, truncate
    columns: list[str] = Field(default_factory=list)  # UPDATE OF these columns
    level: Literal["row", "statement"] = "row"
    function: str | None = None  # PostgreSQL: the function it executes
    when: str | None = None
    body: str | None = None  # MySQL/SQLite: the statements it runs
    enabled: bool = True
    definition: str | None = None  # CREATE TRIGGER text, when known


class ColumnUse(LazyModel):
    """A column (or, with ``column`` None, a whole relation) that a view reads."""

    table: str
    column: str | None = None


class Partitioning(LazyModel):
    strategy: Literal["range", "list", "hash"]
    key: list[str] = Field(default_factory=list)  # columns or expressions


class Table(LazyModel):
    name: str
    columns: list[Column] = Field(default_factory=list)
    indexes: list[Index] = Field(default_factory=list)
    constraints: list[Constraint] = Field(default_factory=list)
    row_estimate: int | None = None
    kind: Literal["table", "view", "materialized_view"] = "table"
    partitioning: Partitioning | None = None  # a partitioned table
    partition_of: str | None = None  # a partition: its parent
    partition_bound: str | None = None  # e.g. FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')
    inherits: list[str] = Field(default_factory=list)
    triggers: list[Trigger] = Field(default_factory=list)
    definition: str | None = None  # views: the query
    populated: bool = True  # materialized views: False when created WITH NO DATA, never refreshed
    depends_on: list[ColumnUse] = Field(default_factory=list)  # views: what the query reads

    @property
    def is_view(self) -> bool:
        return self.kind in ("view", "materialized_view")

    def add_constraint(self, con: Constraint) -> None:
        """Record a constraint as the database would: a primary key makes its columns NOT NULL,
        and primary and unique constraints come with their backing index."""
        self.constraints.append(con)
        if con.kind == "primary_key":
            for c in con.columns:
                if self.has_column(c):
                    self.column(c).nullable = False
        if con.kind in ("primary_key", "unique"):
            self.indexes.append(Index(name=con.index or con.name, table=self.name,
                                      columns=list(con.columns), unique=True,
                                      primary=con.kind == "primary_key"))

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        for col in self.columns:  # unquoted identifiers are case-insensitive
            if col.name.lower() == name.lower():
                return col
        hint = did_you_mean(name, [c.name for c in self.columns])
        raise SpecError(f"unknown column {name!r} in table {self.name!r}",
                        hint=hint or f"columns: {', '.join(c.name for c in self.columns)}")

    def has_column(self, name: str) -> bool:
        return any(c.name.lower() == name.lower() for c in self.columns)

    @property
    def primary_key(self) -> list[str]:
        for con in self.constraints:
            if con.kind == "primary_key":
                return list(con.columns)
        return []

    def batch_key(self) -> list[str]:
        """The key a batched backfill walks: the primary key, else a unique not-null key."""
        if self.primary_key:
            return self.primary_key
        for con in self.constraints:
            if con.kind == "unique" and all(not self.column(c).nullable for c in con.columns):
                return list(con.columns)
        for idx in self.indexes:
            if (idx.unique and idx.where is None and idx.columns
                    and all(self.has_column(c) and not self.column(c).nullable for c in idx.columns)):
                return list(idx.columns)
        return []

    def index_named(self, name: str) -> Index | None:
        return next((i for i in self.indexes if i.name == name), None)

    def constraint_named(self, name: str) -> Constraint | None:
        return next((c for c in self.constraints if c.name == name), None)

    def indexes_on(self, column: str) -> list[Index]:
        return [i for i in self.indexes if column in i.columns or
                (i.where and column in i.where) ]

    def constraints_on(self, column: str) -> list[Constraint]:
        return [c for c in self.constraints if column in c.columns or
                (c.expression and column in c.expression)]

    def covering_index(self, columns: list[str]) -> Index | None:
        """An index whose leading columns are ``columns`` (what a foreign key lookup needs)."""
        for idx in self.indexes:
            if idx.valid and idx.where is None and idx.columns[: len(columns)] == list(columns):
                return idx
        return None


class UserType(LazyModel):
    name: str
    kind: Literal["enum", "domain", "composite", "range", "other"]
    labels: list[str] = Field(default_factory=list)  # enum
    base_type: str | None = None  # domain: the type it constrains; range: the subtype
    checks: list[str] = Field(default_factory=list)  # domain CHECKs (VALUE ...)
    not_null: bool = False
    default: str | None = None


class Function(LazyModel):
    name: str  # schema-qualified outside public
    signature: str  # name(argument types)
    kind: Literal["function", "procedure"] = "function"
    returns: str | None = None
    language: str | None = None
    body: str | None = None
    definition: str | None = None  # the whole CREATE FUNCTION text, when known


class Sequence(LazyModel):
    name: str
    type: str | None = None
    owned_by: str | None = None  # "table.column"


class Extension(LazyModel):
    name: str
    version: str | None = None
    schema_name: str | None = None


class OpaqueStatement(LazyModel):
    """A statement kept as written, not modelled (a policy, a grant, a rule ...)."""

    line: int
    kind: str  # e.g. "CREATE POLICY"
    text: str


class Schema(LazyModel):
    dialect: Literal["postgres", "mysql", "sqlite"] = "postgres"
    tables: dict[str, Table] = Field(default_factory=dict)
    source: str | None = None  # file path or redacted URL the schema came from
    server_version: str | None = None
    types: dict[str, UserType] = Field(default_factory=dict)
    functions: dict[str, Function] = Field(default_factory=dict)  # by signature
    sequences: dict[str, Sequence] = Field(default_factory=dict)
    extensions: dict[str, Extension] = Field(default_factory=dict)
    opaque: list[OpaqueStatement] = Field(default_factory=list)
    unresolved: list[str] = Field(default_factory=list)

    def views_using(self, table: str, column: str | None = None) -> list[Table]:
        """Views and materialized views that read ``table`` (or its ``column``)."""
        key = self._key(table)
        out = []
        for t in self.tables.values():
            if t.is_view and any(self._key(u.table) == key and (
                    column is None or u.column is None or u.column.lower() == column.lower())
                    for u in t.depends_on):
                out.append(t)
        return out

    def partitions_of(self, table: str) -> list[Table]:
        key = self._key(table)
        return [t for t in self.tables.values()
                if t.partition_of and self._key(t.partition_of) == key]

    def descendants(self, table: str) -> list[Table]:
        """Every partition below a partitioned table, at any depth, parents before their own
        partitions."""
        out = []
        for part in self.partitions_of(table):
            out += [part] + self.descendants(part.name)
        return out

    def triggers_on(self, table: str) -> list[Trigger]:
        return list(self.table(table).triggers) if self.has_table(table) else []

    def table(self, name: str) -> Table:
        key = self._key(name)
        if key in self.tables:
            return self.tables[key]
        hint = did_you_mean(name, list(self.tables))
        known = ", ".join(sorted(self.tables)) or "none"
        raise SpecError(f"unknown table {name!r}", hint=hint or f"tables: {known}")

    def has_table(self, name: str) -> bool:
        return self._key(name) in self.tables

    def _key(self, name: str) -> str:
        if name in self.tables:
            return name
        if self.dialect == "postgres" and name.startswith("public."):
            name = name[len("public."):]
        for key in self.tables:
            if key.lower() == name.lower():
                return key
        return name

    def find_index(self, name: str) -> tuple[Table, Index] | None:
        for table in self.tables.values():
            idx = table.index_named(name)
            if idx:
                return table, idx
        return None

    def tables_with_column(self, column: str) -> list[str]:
        return [t.name for t in self.tables.values() if t.has_column(column)]

    def referencing(self, table: str, column: str | None = None) -> list[Constraint]:
        """Foreign keys in other tables that point at ``table`` (optionally at ``column``)."""
        out = []
        for t in self.tables.values():
            for con in t.constraints:
                if con.kind == "foreign_key" and con.ref_table and self._key(con.ref_table) == self._key(table):
                    if column is None or column in con.ref_columns:
                        out.append(con)
        return out

    def rows(self, table: str) -> int | None:
        return self.table(table).row_estimate if self.has_table(table) else 0
