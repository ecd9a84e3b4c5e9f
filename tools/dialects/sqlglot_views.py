"""Following a column rename into a MySQL or SQLite view's query, through sqlglot.

The query is read with every column resolved to the relation it comes from (sqlglot's
qualify: aliases, joins, subqueries, CTEs, ``*`` expanded), the columns of the renamed table
are renamed, and every output column keeps its name: code reading the view sees no change.
"""

from __future__ import annotations

from migsmith.tools.errors import SpecError


def rename_in_view_query(schema, definition: str, table: str, old: str, new: str,
                         dialect: str, what: str) -> str:
    """``definition`` (a query, or a whole CREATE VIEW statement) reading ``new`` where it
    read ``table.old``, in the same form; SpecError when sqlglot cannot read it."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.optimizer.qualify import qualify
    from sqlglot.optimizer.scope import traverse_scope

    mapping = {t.name: {c.name: "text" for c in t.columns}
               for t in schema.tables.values() if not t.is_view}
    try:
        tree = sqlglot.parse_one(definition, read=dialect)
        create = tree if isinstance(tree, exp.Create) else None
        query = qualify(create.expression if create else tree, schema=mapping, dialect=dialect,
                        quote_identifiers=False, identify=False,
                        validate_qualify_columns=False)
    except Exception as exc:  # sqlglot's errors: say what could not be read
        raise SpecError(f"{what} reads {table}.{old}, and migsmith cannot read its query to "
                        f"rewrite it ({str(exc).splitlines()[0]})",
                        hint=f"re-create {what} reading {new} by hand") from None
    key = schema._key(table)
    for scope in traverse_scope(query):
        for column in scope.columns:
            source = scope.sources.get(column.table)
            if isinstance(source, exp.Table) and schema.has_table(source.name) and \
                    schema._key(source.name) == key and column.name == old:
                column.set("this", exp.to_identifier(new))
    if create is not None:
        create.set("expression", query)
        return create.sql(dialect=dialect)
    return query.sql(dialect=dialect)
