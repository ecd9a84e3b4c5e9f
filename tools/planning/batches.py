"""Batched backfills, as pure functions: batch boundaries, the SQL of one batch, progress.

One definition is shared by the generated DO block (``templates/postgres/backfill.sql.j2``) and the
client-side runner (``backfill_runner.py``), so both walk the same batches:

* keyset batches over a single-column key: ``key > lo AND key <= hi``. Never OFFSET (each page
  rescans everything before it) and never ``WHERE col IS NULL LIMIT n`` repeated (each pass
  rescans the rows already done): both make a backfill quadratic in the table size;
* every UPDATE skips rows that already hold the value, so re-running a batch changes nothing and
  a resumed backfill may safely overlap the last batch it committed;
* ``lo`` and ``hi`` are SQL text: placeholders for the runner, PL/pgSQL variables for the DO block.
"""

from __future__ import annotations

from collections.abc import Iterator

from migsmith.tools.errors import SpecError
from migsmith.tools.spec.expressions import check_expression
from migsmith.tools.spec.identifiers import check_table_name, quote_ident
from migsmith.tools.planning.plan import BackfillPlan


def validate(bf: BackfillPlan, dialect: str = "postgres") -> BackfillPlan:
    """Check every fragment of ``bf`` before anything runs; returns ``bf`` with canonical SQL.

    A plan.json may have been edited by hand, so the runner re-checks what planning checked.
    """
    check_table_name(bf.table, dialect=dialect)
    quote_ident(bf.column, dialect)
    if len(bf.key) != 1:
        raise SpecError(
            f"backfill of {bf.table}.{bf.column} needs a single-column key to batch on, "
            f"got {bf.key or 'none'}",
            hint="add a primary key or a unique NOT NULL column first, or run the UPDATE in a "
                 "maintenance window")
    quote_ident(bf.key[0], dialect)
    if bf.batch_size < 1:
        raise SpecError(f"batch size must be at least 1, got {bf.batch_size}")
    expression = check_expression(bf.expression, dialect,
                                  what=f"backfill value for {bf.table}.{bf.column}")
    where = (check_expression(bf.where, dialect, what=f"backfill condition on {bf.table}")
             if bf.where else None)
    return bf.model_copy(update={"expression": expression, "where": where})


def distinct_from(left: str, right: str, dialect: str = "postgres") -> str:
    """NULL-safe inequality, spelled the way each dialect spells it."""
    if dialect == "mysql":
        return f"NOT ({left} <=> ({right}))"
    if dialect == "sqlite":
        return f"{left} IS NOT ({right})"
    return f"{left} IS DISTINCT FROM ({right})"


def pending_condition(bf: BackfillPlan, dialect: str = "postgres") -> str:
    """The rows that still need the new value (the WHERE of the plain one-shot UPDATE)."""
    guard = distinct_from(quote_ident(bf.column, dialect), bf.expression, dialect)
    return f"({bf.where}) AND {guard}" if bf.where else guard


def update_batch_sql(bf: BackfillPlan, lo: str, hi: str, dialect: str = "postgres", *,
                     include_lo: bool = False) -> str:
    """The UPDATE of one batch: keys in (lo, hi], or [lo, hi] for the very first batch of a
    non-integer key (there is no value below the smallest key to start after)."""
    key = quote_ident(bf.key[0], dialect)
    return (f"UPDATE {quote_ident(bf.table, dialect)} "
            f"SET {quote_ident(bf.column, dialect)} = {bf.expression}\n"
            f" WHERE {key} {'>=' if include_lo else '>'} {lo} AND {key} <= {hi}\n"
            f"   AND {pending_condition(bf, dialect)}")


def key_range_sql(bf: BackfillPlan, dialect: str = "postgres") -> str:
    """Smallest and largest key now. Rows inserted later get the value from the column default
    or the sync trigger, so the walk stops at today's largest key."""
    key = quote_ident(bf.key[0], dialect)
    return f"SELECT min({key}), max({key}) FROM {quote_ident(bf.table, dialect)}"


def next_key_sql(bf: BackfillPlan, lo: str, dialect: str = "postgres", *,
                 include_lo: bool = False) -> str:
    """Upper bound of the next batch for keys that cannot be counted (text, uuid ...): the
    batch_size-th key after ``lo``, found through the key's index."""
    key = quote_ident(bf.key[0], dialect)
    return (f"SELECT max(k) FROM (SELECT {key} AS k FROM {quote_ident(bf.table, dialect)} "
            f"WHERE {key} {'>=' if include_lo else '>'} {lo} "
            f"ORDER BY {key} LIMIT {int(bf.batch_size)}) batch")


def integer_batches(after: int, max_key: int, size: int) -> Iterator[tuple[int, int]]:
    """(lo, hi] ranges of ``size`` keys from just after ``after`` up to ``max_key``."""
    if size < 1:
        raise ValueError("batch size must be at least 1")
    lo = after
    while lo < max_key:
        hi = min(lo + size, max_key)
        yield lo, hi
        lo = hi


def batch_count(after: int, max_key: int, size: int) -> int:
    return max(0, -(-(max_key - after) // size))


def progress_sql(bf: BackfillPlan, dialect: str = "postgres") -> str:
    """rows_done / rows_total for the whole table (one scan; run it now and then, not in a loop).

    A row is done when it no longer matches the backfill, so rows outside ``where`` count as
    done from the start."""
    return (f"SELECT sum(CASE WHEN {pending_condition(bf, dialect)} THEN 0 ELSE 1 END) AS rows_done,\n"
            f"       count(*) AS rows_total\n"
            f"FROM {quote_ident(bf.table, dialect)}")


def resume_hint(bf: BackfillPlan, last_key) -> str:
    """How to continue the generated DO block after ``last_key`` (PostgreSQL)."""
    return f"SET migsmith.resume_after = '{str(last_key).replace(chr(39), chr(39) * 2)}';"
