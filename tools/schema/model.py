"""The schema model: what tables, columns, indexes and constraints exist, and how big tables are.

Loaded from a DDL file or a live database; every operation of a spec is checked against it.
Lookups that miss raise a SpecError that suggests the nearest names.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from migsmith.tools.errors import SpecError, did_you_mean


class Column(BaseModel):
    name: str
    type: str
    nullable: bool = True
    default: str | None = None
    identity: bool = False  # GENERATED ... AS IDENTITY / AUTO_INCREMENT / serial


class Index(BaseModel):
    name: str
    table: str
    columns: list[str] = Field(default_factory=list)  # expressions appear as their SQL text
    unique: bool = False
    primary: bool = False
    where: str | None = None
    method: str | None = None
    valid: bool = True
    definition: str | None = None  # the CREATE INDEX text, when known


class Constraint(BaseModel):
    name: str
    table: str
    kind: Literal["primary_key", "unique", "foreign_key", "check", "exclusion"]
    columns: list[str] = Field(default_factory=list)
    ref_table: str | None = None
    ref_columns: list[str] = Field(default_factory=list)
    expression: str | None = None
    on_delete: str | None = None
    validated: bool = True
    index: str | None = None  # backing index of primary/unique constraints


class Table(BaseModel):
    name: str
    columns: list[Column] = Field(default_factory=list)
    indexes: list[Index] = Field(default_factory=list)
    constraints: list[Constraint] = Field(default_factory=list)
    row_estimate: int | None = None
    kind: Literal["table", "view"] = "table"

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


class Schema(BaseModel):
    dialect: Literal["postgres", "mysql", "sqlite"] = "postgres"
    tables: dict[str, Table] = Field(default_factory=dict)
    source: str | None = None  # file path or redacted URL the schema came from
    server_version: str | None = None

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
