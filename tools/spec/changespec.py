"""ChangeSpec: the structured, validated form of a schema-change request.

A spec is a list of operations (a discriminated union on ``op``) plus options. It is the only
thing the agent produces; everything after it is deterministic. Its JSON schema is the input
schema of the agent's ``submit_change_spec`` tool, so field descriptions are written for a model
as much as for a person.
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import (AfterValidator, BaseModel, ConfigDict, Field, ValidationError,
                      field_validator, model_validator)

from migsmith.tools.errors import SpecError
from migsmith.tools.spec.identifiers import check_identifier, check_table_name

Dialect = Literal["postgres", "mysql", "sqlite"]

def _named(what: str):
    return AfterValidator(lambda v: check_identifier(v, what=what))


# Names are checked where they are declared, so every field of a given kind is checked the same.
TableName = Annotated[str, AfterValidator(check_table_name),
                      Field(description="Table name, optionally schema-qualified (app.users).")]
ColumnName = Annotated[str, _named("column name"), Field(description="Column name.")]
IndexName = Annotated[str, _named("index name"), Field(description="Index name.")]
ConstraintName = Annotated[str, _named("constraint name"), Field(description="Constraint name.")]
MigrationName = Annotated[str, _named("migration name"),
                          Field(description="Short snake_case name for the migration.")]
SqlExpr = Annotated[str, Field(description="A single SQL expression, e.g. false, now(), 'x' || y.")]


def _op_required(schema: dict) -> None:
    """In the JSON schema an operation's ``op`` comes first and is required (in Python it has a
    default): the operations are a oneOf, and a reader that ignores ``discriminator`` (an
    OpenAPI keyword, not JSON Schema) tells the variants apart only by a required const."""
    props = schema.get("properties", {})
    if "op" in props:
        props["op"].pop("default", None)
        schema["properties"] = {"op": props.pop("op"), **props}
        schema["required"] = ["op", *[r for r in schema.get("required", []) if r != "op"]]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, json_schema_extra=_op_required)


class ColumnDef(_Model):
    name: ColumnName
    type: str = Field(description="SQL type as the database spells it: text, bigint, boolean, "
                                  "timestamptz, varchar(255), numeric(10,2), jsonb ...")
    nullable: bool = Field(True, description="False for NOT NULL.")
    default: SqlExpr | None = Field(None, description="Default value as a SQL expression.")
    primary_key: bool = Field(False, description="Part of the primary key (create_table only).")


class _TableOp(_Model):
    table: TableName


class _ColumnOp(_TableOp):
    column: ColumnName


class CreateTable(_TableOp):
    op: Literal["create_table"] = "create_table"
    columns: list[ColumnDef] = Field(min_length=1)
    primary_key: list[ColumnName] | None = Field(
        None, description="Primary key columns; or mark columns with primary_key=true.")

    @model_validator(mode="after")
    def _unique_columns(self):
        names = [c.name for c in self.columns]
        dupes = {n for n in names if names.count(n) > 1}
        if dupes:
            raise ValueError(f"column(s) listed twice: {', '.join(sorted(dupes))}")
        return self

    def pk_columns(self) -> list[str]:
        return list(self.primary_key or [c.name for c in self.columns if c.primary_key])


class DropTable(_TableOp):
    op: Literal["drop_table"] = "drop_table"


class RenameTable(_TableOp):
    op: Literal["rename_table"] = "rename_table"
    new_name: TableName


class AddColumn(_TableOp):
    op: Literal["add_column"] = "add_column"
    column: ColumnDef


class DropColumn(_ColumnOp):
    op: Literal["drop_column"] = "drop_column"


class RenameColumn(_ColumnOp):
    op: Literal["rename_column"] = "rename_column"
    new_name: ColumnName


class AlterColumnType(_ColumnOp):
    op: Literal["alter_column_type"] = "alter_column_type"
    new_type: str = Field(description="The new SQL type.")
    using: SqlExpr | None = Field(None, description="Conversion expression (PostgreSQL USING); "
                                                    "refer to the column by name.")


class SetNotNull(_ColumnOp):
    op: Literal["set_not_null"] = "set_not_null"


class DropNotNull(_ColumnOp):
    op: Literal["drop_not_null"] = "drop_not_null"


class SetDefault(_ColumnOp):
    op: Literal["set_default"] = "set_default"
    default: SqlExpr


class DropDefault(_ColumnOp):
    op: Literal["drop_default"] = "drop_default"


class AddIndex(_TableOp):
    op: Literal["add_index"] = "add_index"
    columns: list[ColumnName] = Field(min_length=1)
    name: IndexName | None = Field(None, description="Index name; generated when omitted.")
    unique: bool = False
    where: SqlExpr | None = Field(None, description="Predicate of a partial index.")
    method: Literal["btree", "hash", "gin", "gist", "brin", "spgist"] | None = None


class DropIndex(_Model):
    op: Literal["drop_index"] = "drop_index"
    name: IndexName
    table: TableName | None = Field(None, description="Table of the index (needed on MySQL).")


class AddForeignKey(_TableOp):
    op: Literal["add_foreign_key"] = "add_foreign_key"
    columns: list[ColumnName] = Field(min_length=1)
    ref_table: TableName
    ref_columns: list[ColumnName] = Field(min_length=1)
    name: ConstraintName | None = None
    on_delete: Literal["cascade", "restrict", "set null", "set default", "no action"] | None = None


    @model_validator(mode="after")
    def _arity(self):
        if len(self.columns) != len(self.ref_columns):
            raise ValueError("columns and ref_columns must have the same length")
        return self


class AddCheckConstraint(_TableOp):
    op: Literal["add_check_constraint"] = "add_check_constraint"
    expression: SqlExpr
    name: ConstraintName | None = None


class AddUniqueConstraint(_TableOp):
    op: Literal["add_unique_constraint"] = "add_unique_constraint"
    columns: list[ColumnName] = Field(min_length=1)
    name: ConstraintName | None = None


class DropConstraint(_TableOp):
    op: Literal["drop_constraint"] = "drop_constraint"
    name: ConstraintName


class Backfill(_ColumnOp):
    op: Literal["backfill"] = "backfill"
    expression: SqlExpr = Field(description="New value, may refer to other columns of the row.")
    where: SqlExpr | None = Field(None, description="Only rows matching this predicate.")


Operation = Annotated[
    Union[
        CreateTable, DropTable, RenameTable, AddColumn, DropColumn, RenameColumn,
        AlterColumnType, SetNotNull, DropNotNull, SetDefault, DropDefault, AddIndex,
        DropIndex, AddForeignKey, AddCheckConstraint, AddUniqueConstraint, DropConstraint,
        Backfill,
    ],
    Field(discriminator="op"),
]

OPERATION_KINDS: tuple[str, ...] = (
    "create_table", "drop_table", "rename_table", "add_column", "drop_column", "rename_column",
    "alter_column_type", "set_not_null", "drop_not_null", "set_default", "drop_default",
    "add_index", "drop_index", "add_foreign_key", "add_check_constraint",
    "add_unique_constraint", "drop_constraint", "backfill",
)


class Options(_Model):
    dialect: Dialect = "postgres"
    target_version: str | None = Field(
        None, description="Server version the plan targets: '14' (PostgreSQL), '8.0' (MySQL), "
                          "'10.11' (MariaDB, prefix mariadb-), '3.35' (SQLite). Default per dialect.")
    downtime_allowed: bool = Field(
        False, description="True makes the simple plan (with a maintenance window) the main one.")
    allow_data_loss: bool = Field(
        False, description="Must be true for operations that destroy data (drops, narrowing).")
    batch_size: int = Field(
        10_000, ge=1, le=1_000_000,
        description="Largest backfill batch, in rows (in keys for an integer key): batches start "
                    "at 1000 and grow toward it while each stays under batch_ms.")
    batch_ms: int = Field(
        50, ge=0, le=60_000,
        description="Time target per backfill batch: the batch size adapts so that each batch's "
                    "UPDATE takes about this long (0: every batch has batch_size rows).")
    batch_pause_ms: int = Field(
        0, ge=0, le=60_000,
        description="Least pause between backfill batches. By default none: a backfill backs "
                    "off by itself when it keeps others waiting, when its batches slow down, or "
                    "when replicas lag.")
    max_rows_per_s: int = Field(
        0, ge=0, le=100_000_000,
        description="Cap on the rows per second a backfill writes (0: no cap).")
    lock_timeout_ms: int = Field(200, ge=10, le=600_000,
                                 description="Give up on a lock after this long (then retry).")
    lock_retries: int = Field(
        20, ge=0, le=1000,
        description="Attempts to take a step's locks, each bounded by lock_timeout, with a "
                    "growing pause between them (the locks are given back while it waits).")
    statement_timeout_ms: int = Field(
        60_000, ge=100, le=86_400_000,
        description="Cap for brief DDL statements; long builds get a cap from their estimate.")
    index_foreign_keys: bool = Field(
        True, description="Build an index for a new foreign key when none covers its columns.")

    @field_validator("target_version")
    @classmethod
    def _version(cls, value: str | None) -> str | None:
        import re

        if value is not None and not re.fullmatch(r"(mariadb-)?\d{1,4}(\.\d{1,4}){0,3}", value):
            raise ValueError(f"target_version {value!r} is not a version number: write it like "
                             "'16', '8.0', 'mariadb-10.11' or '3.45'")
        return value


class ChangeSpec(_Model):
    """A schema change: what to change, in order, and how carefully."""

    name: MigrationName | None = None
    description: str | None = Field(None, description="What changes and why, in a sentence.")
    operations: list[Operation] = Field(min_length=1)
    options: Options = Field(default_factory=Options)


    def migration_name(self) -> str:
        return self.name or default_name(self.operations)


def with_options(spec: ChangeSpec, **updates) -> ChangeSpec:
    """``spec`` with some options changed, validated like the rest (model_copy would not)."""
    try:
        options = Options.model_validate({**spec.options.model_dump(), **updates})
    except ValidationError as exc:
        raise SpecError(f"options: {describe_validation_error(exc)}") from None
    return spec.model_copy(update={"options": options})


def default_name(ops: list) -> str:
    from migsmith.tools.spec.identifiers import bounded_name

    first = ops[0]
    target = getattr(first, "column", None)
    target = target.name if isinstance(target, ColumnDef) else target
    parts = [first.op, (getattr(first, "table", None) or getattr(first, "name", "")).replace(".", "_")]
    if target:
        parts.append(target)
    if len(ops) > 1:
        parts.append(f"and_{len(ops) - 1}_more")
    return bounded_name(*parts, dialect="sqlite")[:60]


def json_schema(*, examples: bool = False) -> dict:
    """The JSON schema of ChangeSpec (the agent's submit tool input schema); with
    ``examples``, one example spec per operation kind under ``examples`` (spec-schema)."""
    schema = ChangeSpec.model_json_schema()
    if examples:
        from migsmith.tools.spec.examples import EXAMPLES

        schema["examples"] = list(EXAMPLES.values())
    return schema


def parse_spec(data: str | bytes | dict, *, source: str = "spec") -> ChangeSpec:
    """Parse and validate a spec from JSON text or a dict; one clear SpecError on failure."""
    if isinstance(data, (str, bytes)):
        from migsmith.tools.userfiles import load_json

        data = load_json(data, source, SpecError)
    if not isinstance(data, dict):
        raise SpecError(f"{source}: a spec is a JSON object with an 'operations' list")
    try:
        return ChangeSpec.model_validate(data)
    except ValidationError as exc:
        raise SpecError(f"{source}: {describe_validation_error(exc)}") from None


def describe_validation_error(exc: ValidationError) -> str:
    """The first pydantic error as one readable line: where, then what."""
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"] if not str(p).startswith("function-"))
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] == "union_tag_invalid":
        msg = (f"unknown op {err['input'].get('op')!r}; known ops: " + ", ".join(OPERATION_KINDS))
    elif err["type"] == "union_tag_not_found":
        msg = "each operation needs an 'op' field; known ops: " + ", ".join(OPERATION_KINDS)
    extra = f" (and {len(exc.errors()) - 1} more problem(s))" if len(exc.errors()) > 1 else ""
    return f"{loc}: {msg}{extra}" if loc else msg + extra


def describe_operation(op) -> str:
    """A short human sentence for an operation, used in docs and progress output."""
    t = getattr(op, "table", None)
    match op.op:
        case "create_table":
            return f"create table {t}"
        case "drop_table":
            return f"drop table {t}"
        case "rename_table":
            return f"rename table {t} to {op.new_name}"
        case "add_column":
            return f"add column {t}.{op.column.name} {op.column.type}"
        case "drop_column":
            return f"drop column {t}.{op.column}"
        case "rename_column":
            return f"rename column {t}.{op.column} to {op.new_name}"
        case "alter_column_type":
            return f"change type of {t}.{op.column} to {op.new_type}"
        case "set_not_null":
            return f"make {t}.{op.column} NOT NULL"
        case "drop_not_null":
            return f"allow NULL in {t}.{op.column}"
        case "set_default":
            return f"set default of {t}.{op.column} to {op.default}"
        case "drop_default":
            return f"drop default of {t}.{op.column}"
        case "add_index":
            kind = "unique index" if op.unique else "index"
            return f"add {kind} on {t}({', '.join(op.columns)})" + (f" where {op.where}" if op.where else "")
        case "drop_index":
            return f"drop index {op.name}"
        case "add_foreign_key":
            return (f"add foreign key {t}({', '.join(op.columns)}) -> "
                    f"{op.ref_table}({', '.join(op.ref_columns)})")
        case "add_check_constraint":
            return f"add check on {t}: {op.expression}"
        case "add_unique_constraint":
            return f"add unique constraint on {t}({', '.join(op.columns)})"
        case "drop_constraint":
            return f"drop constraint {op.name} on {t}"
        case "backfill":
            cond = f" where {op.where}" if op.where else ""
            return f"backfill {t}.{op.column} = {op.expression}{cond}"
    return op.op
