"""Apply spec operations to a Schema, checking each against the state before it.

This is both the validator (unknown tables and columns, names already taken, a NOT NULL column
without a default on a populated table ...) and the way later operations in one spec see the
effect of earlier ones (add a column, then index it).

An operation whose effect is already there (the column is NOT NULL already, an index on those
columns exists, the type already matches) is left out with a note, whoever wrote the spec: a
request that restates the current state ("make email varchar(320), still not null") is not an
error. A contradiction (the table does not exist, the name is taken by something else) is.
"""

from __future__ import annotations

from typing import NamedTuple

from migsmith.tools.spec import changespec as S
from migsmith.tools.errors import SpecError, did_you_mean
from migsmith.tools.spec.expressions import check_expression, check_type, strip_outer_parens
from migsmith.tools.spec.identifiers import bounded_name, check_identifier
from migsmith.tools.schema.model import Column, Constraint, Index, Schema, Table

DATA_LOSS = ("drop_table", "drop_column")


class Evolution(NamedTuple):
    schema: Schema  # the schema after every kept operation
    operations: list  # the kept operations, normalized
    kept: list[int]  # their positions in the spec
    notes: list[str]  # one per operation left out: why its effect is already there


def evolve(schema: Schema, spec: S.ChangeSpec) -> Evolution:
    """Check every operation in order against the state the ones before it leave.

    Normalizing fills in generated names and canonical expressions, so the plan renders the
    same SQL whatever spelling the request used.
    """
    state = schema.fork()
    dialect = spec.options.dialect
    normalized, kept, notes = [], [], []
    for i, op in enumerate(spec.operations):
        try:
            op = normalize(op, state, dialect)
            done = already_done(state, op, dialect)
            if done is None:
                apply(state, op, spec.options)
                _follow_partitions(state, op, spec.options)
        except SpecError as exc:
            prefix = f"operation {i + 1} ({op.op})"
            raise type(exc)(f"{prefix}: {exc.message}", hint=exc.hint) from None
        if done is not None:
            notes.append(f"Not planned: {done} (operation {i + 1}, {op.op})")
            continue
        normalized.append(op)
        kept.append(i)
    return Evolution(state, normalized, kept, notes)


def settle(schema: Schema, spec: S.ChangeSpec) -> tuple[S.ChangeSpec | None, list[str]]:
    """The spec as written minus the operations already in effect (None when none is left),
    and a note for each one left out."""
    done = evolve(schema, spec)
    if not done.kept:
        return None, done.notes
    ops = [spec.operations[i] for i in done.kept]
    return spec.model_copy(update={"operations": ops}), done.notes


def already_done(schema: Schema, op, dialect: str) -> str | None:
    """Why ``op`` (normalized) would change nothing on ``schema``; None when it changes
    something. Lookups that miss raise the usual SpecError: a missing table is an error."""
    kind = op.op
    if kind in ("create_table", "drop_table", "rename_table", "drop_index", "backfill",
                "drop_column", "rename_column", "drop_constraint"):
        return None
    table = schema.table(op.table)
    if kind == "add_column":
        if not table.has_column(op.column.name):
            return None
        col, new = table.column(op.column.name), op.column
        if (col.type, col.nullable, _same(col.default, new.default, dialect)) == (new.type, new.nullable, True):
            return f"{table.name}.{col.name} already exists as {col.type}"
        return None  # a different column of that name: apply() says so
    if kind == "add_index":
        same = next((i for i in table.indexes if i.valid and i.columns == op.columns
                     and i.unique == op.unique and _same(i.where, op.where, dialect)
                     and (op.method or "btree") == (i.method or "btree")), None)
        return f"index {same.name} already covers {table.name}({', '.join(op.columns)})" if same else None
    if kind == "add_unique_constraint":
        same = next((i for i in table.indexes if i.valid and i.unique and i.where is None
                     and sorted(i.columns) == sorted(op.columns)), None)
        return (f"{same.name} already makes {table.name}({', '.join(op.columns)}) unique"
                if same else None)
    if kind == "add_foreign_key":
        same = next((c for c in table.constraints if c.kind == "foreign_key"
                     and c.columns == op.columns and schema.has_table(c.ref_table or "")
                     and schema.table(c.ref_table).name == schema.table(op.ref_table).name
                     and c.ref_columns == op.ref_columns
                     and (c.on_delete or "no action") == (op.on_delete or "no action")), None)
        return (f"foreign key {same.name} already links {table.name}({', '.join(op.columns)}) "
                f"to {same.ref_table}" if same else None)
    if kind == "add_check_constraint":
        same = next((c for c in table.constraints if c.kind == "check"
                     and _same(c.expression, op.expression, dialect)), None)
        return f"check {same.name} on {table.name} already says {op.expression}" if same else None
    col = table.column(op.column)
    where = f"{table.name}.{col.name}"
    if kind == "alter_column_type" and col.type == op.new_type:
        return f"{where} already has type {col.type}"
    if kind == "set_not_null" and not col.nullable:
        return f"{where} is already NOT NULL"
    if kind == "drop_not_null" and col.nullable:
        return f"{where} already allows NULL"
    if kind == "set_default" and _same(col.default, op.default, dialect):
        return f"{where} already defaults to {col.default}"
    if kind == "drop_default" and col.default is None:
        return f"{where} has no default"
    return None


def _same(a: str | None, b: str | None, dialect: str) -> bool:
    """Two SQL fragments that say the same thing (both absent, or equal once canonical)."""
    if a is None or b is None:
        return a is b
    try:
        a, b = (check_expression(strip_outer_parens(x), dialect) for x in (a, b))
    except SpecError:
        pass
    return " ".join(a.split()).lower() == " ".join(b.split()).lower()


def backfill_overwrites(op, schema: Schema, dialect: str) -> str | None:
    """How a backfill replaces values already in the column (None when it does not: the
    column is new in this plan, or the backfill only fills NULLs)."""
    from migsmith.tools.spec.expressions import fills_only_nulls

    if not schema.has_table(op.table) or not schema.table(op.table).has_column(op.column):
        return None
    col = schema.table(op.table).column(op.column)
    if col.added_here or fills_only_nulls(col.name, op.expression, op.where, dialect):
        return None
    rows = f"every row matching {op.where}" if op.where else "every row"
    return f"replaces the values of {op.column} in {rows}"


def _canonical_names(op, schema: Schema) -> None:
    """Names of existing tables and columns as the schema spells them: a lookup ignores case
    (``Users`` finds ``users``), and the quoted name written into the plan must be the one
    that exists, not the request's spelling of it."""
    for field in ("table", "ref_table"):
        name = getattr(op, field, None)
        if isinstance(name, str) and schema.has_table(name):
            setattr(op, field, schema.table(name).name)
    table = getattr(op, "table", None)
    if not (isinstance(table, str) and schema.has_table(table)):
        return
    t = schema.table(table)
    if isinstance(getattr(op, "column", None), str) and t.has_column(op.column):
        op.column = t.column(op.column).name
    if op.op in ("add_index", "add_unique_constraint", "add_foreign_key"):
        op.columns = [t.column(c).name if t.has_column(c) else c for c in op.columns]
    if op.op == "add_foreign_key" and schema.has_table(op.ref_table):
        ref = schema.table(op.ref_table)
        op.ref_columns = [ref.column(c).name if ref.has_column(c) else c for c in op.ref_columns]


_RECURSING = ("add_column", "drop_column", "rename_column", "alter_column_type", "set_not_null",
              "drop_not_null", "set_default", "drop_default")


def _follow_partitions(schema: Schema, op, options: S.Options) -> None:
    """What the database does to a partitioned table's columns it does to every partition
    (PostgreSQL recurses), so the model does too."""
    if op.op not in _RECURSING or not schema.has_table(op.table):
        return
    for part in schema.partitions_of(op.table):
        if op.op == "add_column" and part.has_column(op.column.name):
            continue
        sub = op.model_copy(update={"table": part.name})
        apply(schema, sub, options.model_copy(update={"allow_data_loss": True}))
        _follow_partitions(schema, sub, options)


def normalize(op, schema: Schema, dialect: str):
    """A copy of ``op`` with canonical SQL fragments and generated names filled in."""
    op = op.model_copy(deep=True)
    _canonical_names(op, schema)
    if op.op in ("add_column", "create_table"):
        cols = [op.column] if op.op == "add_column" else op.columns
        for col in cols:
            col.type = check_type(col.type, dialect)
            if col.default is not None:
                col.default = check_expression(col.default, dialect, what="default")
            check_identifier(col.name, what="column name", dialect=dialect)
    if op.op == "alter_column_type":
        op.new_type = check_type(op.new_type, dialect)
        if op.using:
            op.using = check_expression(op.using, dialect, what="USING expression")
    if op.op == "set_default":
        op.default = check_expression(op.default, dialect, what="default")
    if op.op == "backfill":
        op.expression = check_expression(op.expression, dialect, what="backfill expression")
        if op.where:
            op.where = check_expression(op.where, dialect, what="backfill condition")
    if op.op == "add_check_constraint":
        op.expression = check_expression(op.expression, dialect, what="check expression")
        op.name = op.name or bounded_name(_base(op.table), _short(op.expression), suffix="check",
                                          dialect=dialect)
    if op.op == "add_index":
        if op.where:
            op.where = check_expression(op.where, dialect, what="index predicate")
        op.name = op.name or bounded_name(_base(op.table), *op.columns, suffix="idx",
                                          dialect=dialect)
    if op.op == "add_foreign_key":
        op.name = op.name or bounded_name(_base(op.table), *op.columns, suffix="fkey",
                                          dialect=dialect)
    if op.op == "add_unique_constraint":
        op.name = op.name or bounded_name(_base(op.table), *op.columns, suffix="key",
                                          dialect=dialect)
    return op


def _base(table: str) -> str:
    return table.split(".")[-1]


def _short(expression: str) -> str:
    words = [w for w in "".join(ch if ch.isalnum() or ch == "_" else " " for ch in expression).split()
             if not w.isdigit() and w.upper() not in {"IS", "NOT", "NULL", "AND", "OR", "IN"}]
    return "_".join(words[:2]) or "expr"


def _new_name_free(table: Table, name: str, what: str = "column") -> None:
    if table.has_column(name):
        raise SpecError(f"column {name!r} already exists in table {table.name!r}")


def _name_taken(schema: Schema, name: str) -> bool:
    """Index and constraint names share a namespace with tables in PostgreSQL."""
    for t in schema.tables.values():
        if t.index_named(name) or t.constraint_named(name):
            return True
    return schema.has_table(name)


def _new_column(table: str, col, options: S.Options, *, nullable: bool) -> Column:
    """A spec column as the database will hold it. On PostgreSQL serial is not a type but an
    integer NOT NULL with a sequence default, which the column reads back as (a spec's
    ``bigserial`` asks for that default without spelling it)."""
    from migsmith.tools.schema.postgres_ddl import _SERIAL

    if options.dialect == "postgres" and col.type.lower() in _SERIAL:
        return Column(name=col.name, type=_SERIAL[col.type.lower()], nullable=False,
                      identity=True, added_here=True, default=col.default or
                      f"nextval('{_base(table)}_{col.name}_seq'::regclass)")
    return Column(name=col.name, type=col.type, nullable=nullable, default=col.default,
                  added_here=True)


def _check_mysql_key_types(table: Table, columns, ref: Table, ref_columns) -> None:
    """InnoDB refuses a foreign key between integer columns of another size or sign (its error
    is "Missing index for constraint"): say so before the plan, with the column to change."""
    from migsmith.tools.dialects.mysql.types import integer_size_and_sign

    for c, r in zip(columns, ref_columns):
        mine, theirs = table.column(c).type, ref.column(r).type
        a, b = integer_size_and_sign(mine), integer_size_and_sign(theirs)
        if a and b and a != b:
            raise SpecError(
                f"{table.name}.{c} is {mine} and {ref.name}.{r} is {theirs}: MySQL refuses a "
                "foreign key between integer columns of another size or sign",
                hint=f"change {table.name}.{c} to {theirs} first (alter_column_type), then "
                     "add the foreign key")


def _rename_in_index(idx: Index, old: str, new: str) -> None:
    """Follow a column rename through an index's keys, expressions, INCLUDE and predicate."""
    from migsmith.tools.proving.compare import rename_in_sql

    for key in idx.keys:
        if key.column == old:
            key.column = new
        key.expression = rename_in_sql(key.expression, old, new)
    idx.include = [new if c == old else c for c in idx.include]
    idx.columns_used = [new if c == old else c for c in idx.columns_used]
    idx.columns = [rename_in_sql(c, old, new) if c != new else c for c in idx.columns]
    idx.where = rename_in_sql(idx.where, old, new)
    idx.definition = None  # no longer the text the catalog printed


def _referencing_tables(schema: Schema, table: str) -> list[str]:
    """Names of the tables with a foreign key that names ``table`` as written."""
    return [name for name, t in schema.tables.items()
            if any(c.ref_table == table for c in t.constraints)]


def apply(schema: Schema, op, options: S.Options) -> None:
    """Mutate ``schema`` by ``op`` after checking that ``op`` makes sense on it (and, through
    already_done, that it changes something). Tables are changed only through
    ``schema.own``, so a schema this one was forked from (``Schema.fork``) is left as it was."""
    kind = op.op
    if kind in DATA_LOSS and not options.allow_data_loss:
        target = f"{op.table}.{op.column}" if kind == "drop_column" else op.table
        raise SpecError(
            f"{kind.replace('_', ' ')} {target} destroys data; refused",
            hint="set options.allow_data_loss=true (CLI: --allow-data-loss) once the data is "
                 "backed up or no longer needed")
    if kind == "create_table":
        if schema.has_table(op.table):
            raise SpecError(f"table {op.table!r} already exists")
        pk = op.pk_columns()
        cols = [_new_column(op.table, c, options, nullable=c.nullable and c.name not in pk)
                for c in op.columns]
        table = Table(name=op.table, columns=cols, row_estimate=0)
        for c in pk:
            table.column(c)
        if pk:
            name = bounded_name(_base(op.table), suffix="pkey")
            table.add_constraint(Constraint(name=name, table=op.table, kind="primary_key",
                                            columns=pk, index=name))
        schema.tables[op.table] = table
        return
    if kind == "drop_index":
        found = schema.find_index(op.name)
        if not found:
            all_idx = [i.name for t in schema.tables.values() for i in t.indexes]
            raise SpecError(f"unknown index {op.name!r}", hint=did_you_mean(op.name, all_idx))
        table, idx = found
        if op.table and schema.table(op.table).name != table.name:
            raise SpecError(f"index {op.name!r} is on table {table.name!r}, not {op.table!r}")
        if idx.primary or any(c.index == idx.name for c in table.constraints):
            raise SpecError(f"index {op.name!r} backs a constraint",
                            hint="drop the constraint instead (drop_constraint)")
        table = schema.own(table.name)
        table.indexes = [i for i in table.indexes if i.name != idx.name]
        return

    table = schema.table(op.table)
    if table.is_view:
        what = "a materialized view" if table.kind == "materialized_view" else "a view"
        raise SpecError(f"{op.table!r} is {what}, not a table")
    if kind not in ("drop_table", "backfill"):
        table = schema.own(op.table)

    if kind == "drop_table":
        refs = [c for c in schema.referencing(table.name) if c.table != table.name]
        if refs:
            raise SpecError(f"table {table.name!r} is referenced by foreign key "
                            f"{refs[0].name!r} on {refs[0].table!r}",
                            hint="drop that constraint first (drop_constraint)")
        del schema.tables[table.name]
    elif kind == "rename_table":
        if schema.has_table(op.new_name):
            raise SpecError(f"table {op.new_name!r} already exists")
        del schema.tables[table.name]
        table.name = op.new_name
        for item in (*table.indexes, *table.constraints):
            item.table = op.new_name
        for name in _referencing_tables(schema, op.table):
            for con in schema.own(name).constraints:
                if con.ref_table == op.table:
                    con.ref_table = op.new_name
        for con in table.constraints:  # a foreign key to itself
            if con.ref_table == op.table:
                con.ref_table = op.new_name
        schema.tables[op.new_name] = table
    elif kind == "add_column":
        _new_name_free(table, op.column.name)
        col = op.column
        if not col.nullable and col.default is None and table.row_estimate != 0:
            raise SpecError(
                f"column {col.name!r} is NOT NULL without a default, so adding it fails on a "
                f"table with rows",
                hint="give it a default, or add it nullable, backfill it, then set_not_null")
        if col.primary_key:
            raise SpecError("adding a primary-key column to an existing table is not supported",
                            hint="add the column, backfill it, then add a unique index")
        table.columns.append(_new_column(table.name, col, options, nullable=col.nullable))
    elif kind == "drop_column":
        col = table.column(op.column)
        if op.column in table.primary_key:
            raise SpecError(f"column {op.column!r} is part of the primary key of {table.name!r}")
        refs = [c for c in schema.referencing(table.name, col.name)]
        if refs:
            raise SpecError(f"column {table.name}.{col.name} is referenced by foreign key "
                            f"{refs[0].name!r} on {refs[0].table!r}")
        table.columns.remove(col)
        table.indexes = [i for i in table.indexes if col.name not in i.columns
                         and col.name not in i.columns_used and col.name not in i.include]
        table.constraints = [c for c in table.constraints if col.name not in c.columns]
    elif kind == "rename_column":
        col = table.column(op.column)
        _new_name_free(table, op.new_name)
        for item in (*table.indexes, *table.constraints):
            item.columns = [op.new_name if c == col.name else c for c in item.columns]
        for idx in table.indexes:
            _rename_in_index(idx, col.name, op.new_name)
        for name in _referencing_tables(schema, table.name):
            for con in schema.own(name).constraints:
                if con.ref_table == table.name:
                    con.ref_columns = [op.new_name if c == col.name else c for c in con.ref_columns]
        col.name = op.new_name
    elif kind == "alter_column_type":
        table.column(op.column).type = op.new_type
    elif kind == "set_not_null":
        table.column(op.column).nullable = False
    elif kind == "drop_not_null":
        col = table.column(op.column)
        if col.name in table.primary_key:
            raise SpecError(f"column {table.name}.{col.name} is in the primary key and must "
                            "stay NOT NULL")
        col.nullable = True
    elif kind == "set_default":
        table.column(op.column).default = op.default
    elif kind == "drop_default":
        table.column(op.column).default = None
    elif kind == "add_index":
        for c in op.columns:
            table.column(c)
        if _name_taken(schema, op.name):
            raise SpecError(f"an index or constraint named {op.name!r} already exists")
        table.indexes.append(Index(name=op.name, table=table.name, columns=list(op.columns),
                                   unique=op.unique, where=op.where, method=op.method))
        # a partitioned table's index is made of one index on every partition
        for part in [schema.own(p.name) for p in schema.descendants(table.name)]:
            part.indexes.append(Index(
                name=bounded_name(part.name.split(".")[-1], op.name), table=part.name,
                columns=list(op.columns), unique=op.unique, where=op.where, method=op.method))
    elif kind == "add_foreign_key":
        for c in op.columns:
            table.column(c)
        ref = schema.table(op.ref_table)
        for c in op.ref_columns:
            ref.column(c)
        if not any(i.unique and i.where is None and sorted(i.columns) == sorted(op.ref_columns)
                   for i in ref.indexes):
            raise SpecError(f"{ref.name}({', '.join(op.ref_columns)}) has no primary key or "
                            f"unique constraint, so a foreign key cannot point at it")
        if options.dialect == "mysql":
            _check_mysql_key_types(table, op.columns, ref, op.ref_columns)
        if _name_taken(schema, op.name):
            raise SpecError(f"a constraint named {op.name!r} already exists")
        con = Constraint(name=op.name, table=table.name, kind="foreign_key",
                         columns=list(op.columns), ref_table=ref.name,
                         ref_columns=list(op.ref_columns), on_delete=op.on_delete)
        table.constraints.append(con)
        # ... and so is its foreign key: a partition that has the same key already keeps it
        for part in [schema.own(p.name) for p in schema.descendants(table.name)]:
            if not any(c.kind == "foreign_key" and c.columns == con.columns
                       and c.ref_table == con.ref_table and c.ref_columns == con.ref_columns
                       for c in part.constraints):
                part.constraints.append(con.model_copy(update={"table": part.name}))
    elif kind == "add_check_constraint":
        if _name_taken(schema, op.name):
            raise SpecError(f"a constraint named {op.name!r} already exists")
        table.constraints.append(Constraint(name=op.name, table=table.name, kind="check",
                                            expression=op.expression))
    elif kind == "add_unique_constraint":
        for c in op.columns:
            table.column(c)
        if _name_taken(schema, op.name):
            raise SpecError(f"an index or constraint named {op.name!r} already exists")
        table.add_constraint(Constraint(name=op.name, table=table.name, kind="unique",
                                        columns=list(op.columns), index=op.name))
    elif kind == "drop_constraint":
        con = table.constraint_named(op.name)
        if con is None:
            raise SpecError(f"unknown constraint {op.name!r} on table {table.name!r}",
                            hint=did_you_mean(op.name, [c.name for c in table.constraints]))
        if con.kind == "primary_key" and schema.referencing(table.name):
            raise SpecError(f"primary key {op.name!r} is referenced by foreign keys")
        table.constraints.remove(con)
        if con.index:
            table.indexes = [i for i in table.indexes if i.name != con.index]
    elif kind == "backfill":
        table.column(op.column)
        if not table.batch_key():
            raise SpecError(
                f"table {table.name!r} has no primary key or unique NOT NULL key to batch on",
                hint="add a primary key first (an identity column plus a unique index built "
                     "concurrently), or run the update in a maintenance window")
        overwrites = backfill_overwrites(op, schema, schema.dialect)
        if overwrites and not options.allow_data_loss:
            raise SpecError(f"backfill {table.name}.{op.column} {overwrites}; refused",
                            hint="fill only the empty rows (a condition with "
                                 f"{op.column} IS NULL), or set options.allow_data_loss=true "
                                 "(CLI: --allow-data-loss) once the old values are backed up or "
                                 "no longer needed")
