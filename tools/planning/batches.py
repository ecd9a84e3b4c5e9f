"""Batched backfills, as pure functions: the SQL of one batch, where the next batch ends, how
big it should be and how long to wait before it.

One definition is shared by the generated DO block (``templates/postgres/backfill.sql.j2``),
MySQL's stored procedure, SQLite's batch file and the client-side runner
(``tools/running/backfill.py``), so all of them walk the same batches and adapt the same way:

* **keyset batches over the table's key**, of one column or several (a composite primary key),
  of any orderable type (integer, text, uuid, timestamps ...): ``key > lo AND key <= hi``, row
  by row for a composite key (``(a, b) > (lo_a, lo_b)``; MySQL gets the expanded form its range
  optimizer reads). Never OFFSET from the start and never ``WHERE col IS NULL LIMIT n``
  repeated: both make a backfill quadratic in the table size;
* **an integer key is counted** (``hi = lo + size``: a sparse key gives smaller batches, never
  larger); **any other key** finds ``hi`` through its index: the ``size``-th key after ``lo``
  (``ORDER BY key LIMIT size``, then the last of those: no ``max()``, which uuid lacks);
* **the size adapts** (``resize``): each batch aims at ``batch_ms`` (e.g. 50 ms). The next
  size is the last one times ``batch_ms / elapsed``, at most x1.5 and at least x0.5 per batch,
  between ``min_batch_size`` and ``max_batch_size``; a batch that blocked another session (or
  timed out on a lock) halves it. ``batch_ms = 0`` keeps fixed batches of ``batch_size``;
* **the pause adapts** (``pause_ms``): none by default; ``pause_ms`` is the least pause, a rate
  cap (``max_rows_per_s``) lengthens it, and a batch that kept others waiting is followed by a
  pause as long as it held them;
* every UPDATE skips rows that already hold the value, so re-running a batch changes nothing
  and a resumed backfill may safely overlap the last batch it committed;
* key values are SQL text (one per key column): placeholders for the runner, PL/pgSQL or
  procedure variables for the generated blocks.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence

from migsmith.tools.errors import SpecError
from migsmith.tools.planning.plan import BackfillPlan
from migsmith.tools.spec.expressions import check_expression
from migsmith.tools.spec.identifiers import check_table_name, quote_ident

GROW, SHRINK = 1.5, 0.5  # the most one batch may change the next one's size
MIN_BATCH = 100  # the floor, unless the spec's batch_size is smaller still
START_BATCH = 1000  # the first batch, unless the spec's batch_size is smaller


def validate(bf: BackfillPlan, dialect: str = "postgres") -> BackfillPlan:
    """Check every fragment of ``bf`` before anything runs; returns ``bf`` with canonical SQL.

    A plan.json may have been edited by hand, so the runner re-checks what planning checked.
    """
    check_table_name(bf.table, dialect=dialect)
    quote_ident(bf.column, dialect)
    if not bf.key:
        raise SpecError(
            f"backfill of {bf.table}.{bf.column} needs a key to batch on, got none",
            hint="add a primary key or a unique NOT NULL column first, or run the UPDATE in a "
                 "maintenance window")
    for column in bf.key:
        quote_ident(column, dialect)
    if bf.key_is_integer and len(bf.key) != 1:
        raise SpecError(f"backfill of {bf.table}.{bf.column}: only a single-column key can be "
                        f"counted as an integer, got {bf.key}")
    floor, start, ceiling = bounds(bf)
    if not 1 <= floor <= start <= ceiling:
        raise SpecError(f"batch sizes must satisfy 1 <= smallest <= first <= largest, got "
                        f"{floor}, {start}, {ceiling}")
    if bf.batch_ms < 0 or bf.pause_ms < 0 or bf.max_rows_per_s < 0:
        raise SpecError("batch_ms, pause_ms and max_rows_per_s cannot be negative")
    expression = check_expression(bf.expression, dialect,
                                  what=f"backfill value for {bf.table}.{bf.column}")
    where = (check_expression(bf.where, dialect, what=f"backfill condition on {bf.table}")
             if bf.where else None)
    return bf.model_copy(update={"expression": expression, "where": where})


# ----------------------------------------------------------------------------- sizes and pauses
def bounds(bf) -> tuple[int, int, int]:
    """(smallest, first, largest) batch size. Plans written before adaptive batches carry
    only ``batch_size``: fixed batches of that size."""
    ceiling = bf.max_batch_size or bf.batch_size
    floor = bf.min_batch_size or bf.batch_size
    return min(floor, bf.batch_size), bf.batch_size, ceiling


def adaptive_sizes(max_batch_size: int, batch_ms: int) -> tuple[int, int, int]:
    """(smallest, first, largest) for a spec's options: ``batch_size`` is the largest batch;
    with ``batch_ms = 0`` every batch has that size."""
    if not batch_ms:
        return max_batch_size, max_batch_size, max_batch_size
    return min(MIN_BATCH, max_batch_size), min(START_BATCH, max_batch_size), max_batch_size


def resize(bf, size: int, elapsed_ms: float, pressure: int = 0) -> int:
    """The next batch's size after one of ``size`` took ``elapsed_ms`` (``pressure``: sessions
    it kept waiting, or 1 after a lock timeout). ``resize_sql`` spells the same in SQL."""
    floor, _, ceiling = bounds(bf)
    if not bf.batch_ms:
        return size
    if pressure > 0:
        factor = SHRINK
    else:
        factor = min(GROW, max(SHRINK, float(bf.batch_ms) / max(float(elapsed_ms), 1.0)))
    return int(min(ceiling, max(floor, math.floor(size * factor + 0.5))))


def resize_sql(bf, size: str, elapsed_ms: str, pressure: str, dialect: str = "postgres") -> str:
    """``resize`` as an SQL expression over variables holding the size, the batch's elapsed
    milliseconds and the pressure count (double precision arithmetic, as in Python)."""
    floor, _, ceiling = bounds(bf)
    if not bf.batch_ms:
        return size
    dbl = (lambda x: f"CAST({x} AS DOUBLE)") if dialect == "mysql" else (lambda x: f"({x})::float8")
    factor = (f"CASE WHEN {pressure} > 0 THEN {SHRINK} ELSE least({GROW}, greatest({SHRINK}, "
              f"{dbl(bf.batch_ms)} / greatest({dbl(elapsed_ms)}, 1.0))) END")
    new = f"floor({dbl(size)} * {factor} + 0.5)"
    return f"least({ceiling}, greatest({floor}, {new}))"


def pause_ms(bf, rows: int, elapsed_ms: float, pressure: int = 0) -> float:
    """How long to wait before the next batch: the least pause, longer to stay under the rate
    cap, and as long as the batch held others when it kept someone waiting."""
    wait = float(bf.pause_ms)
    if bf.max_rows_per_s:
        wait = max(wait, rows * 1000.0 / bf.max_rows_per_s - elapsed_ms)
    if pressure > 0:
        wait = max(wait, float(elapsed_ms))
    return wait


def pause_sql(bf, rows: str, elapsed_ms: str, pressure: str, dialect: str = "postgres") -> str:
    """``pause_ms`` as an SQL expression (milliseconds)."""
    parts = [str(float(bf.pause_ms))]
    if bf.max_rows_per_s:
        parts.append(f"{rows} * 1000.0 / {int(bf.max_rows_per_s)} - {elapsed_ms}")
    parts.append(f"CASE WHEN {pressure} > 0 THEN {elapsed_ms} ELSE 0 END")
    return f"greatest({', '.join(parts)})"


# ----------------------------------------------------------------------------- SQL of a batch
def _cols(bf, dialect: str) -> list[str]:
    return [quote_ident(c, dialect) for c in bf.key]


def _vals(values: str | Sequence[str]) -> list[str]:
    return [values] if isinstance(values, str) else list(values)


def compare(cols: Sequence[str], op: str, vals: Sequence[str], dialect: str = "postgres") -> str:
    """``cols op vals`` for a key of one or more columns, ordered as the key's index orders
    them (``op`` is one of < <= > >=)."""
    if len(cols) == 1:
        return f"{cols[0]} {op} {vals[0]}"
    if dialect != "mysql":
        return f"({', '.join(cols)}) {op} ({', '.join(vals)})"
    # MySQL/MariaDB: the expanded lexicographic form, which their range optimizer can use
    strict = op[0]
    terms = []
    for i, (col, val) in enumerate(zip(cols, vals)):
        last = op if i == len(cols) - 1 else strict
        terms.append(" AND ".join([f"{c} = {v}" for c, v in zip(cols[:i], vals[:i])]
                                  + [f"{col} {last} {val}"]))
    return "(" + " OR ".join(f"({t})" for t in terms) + ")"


def key_range(bf, lo, hi, dialect: str = "postgres", *, include_lo: bool = False,
              upto=None) -> str:
    """The keys of one batch: after ``lo`` (from it, with ``include_lo``; unbounded when None)
    up to ``hi`` (and never past ``upto``, a parallel worker's last key), as one condition."""
    cols = _cols(bf, dialect)
    parts = []
    if lo is not None:
        parts.append(compare(cols, ">=" if include_lo else ">", _vals(lo), dialect))
    for bound in (hi, upto):
        if bound is not None:
            parts.append(compare(cols, "<=", _vals(bound), dialect))
    return " AND ".join(parts) or "true"


def distinct_from(left: str, right: str, dialect: str = "postgres") -> str:
    """NULL-safe inequality, spelled the way each dialect spells it."""
    if dialect == "mysql":
        return f"NOT ({left} <=> ({right}))"
    if dialect == "sqlite":
        return f"{left} IS NOT ({right})"
    return f"{left} IS DISTINCT FROM ({right})"


def pending_condition(bf, dialect: str = "postgres") -> str:
    """The rows that still need the new value (the WHERE of the plain one-shot UPDATE)."""
    guard = distinct_from(quote_ident(bf.column, dialect), bf.expression, dialect)
    return f"({bf.where}) AND {guard}" if bf.where else guard


def set_list(bf, dialect: str = "postgres") -> str:
    """The backfill's SET list: the column's new value, then each column restated as itself
    (MySQL: an ON UPDATE CURRENT_TIMESTAMP column given a value is not auto-updated)."""
    restated = [f"{quote_ident(c, dialect)} = {quote_ident(c, dialect)}"
                for c in getattr(bf, "restate_columns", ()) or () if c != bf.column]
    return ", ".join([f"{quote_ident(bf.column, dialect)} = {bf.expression}", *restated])


def update_batch_sql(bf, lo, hi, dialect: str = "postgres", *, include_lo: bool = False,
                     upto=None) -> str:
    """The UPDATE of one batch: keys in (lo, hi], or [lo, hi] for the first batch of a key
    that is not counted (there is no value below the smallest key to start after)."""
    return (f"UPDATE {quote_ident(bf.table, dialect)} "
            f"SET {set_list(bf, dialect)}\n"
            f" WHERE {key_range(bf, lo, hi, dialect, include_lo=include_lo, upto=upto)}\n"
            f"   AND {pending_condition(bf, dialect)}")


def next_key_sql(bf, lo, size: str | int, dialect: str = "postgres", *,
                 include_lo: bool = False, upto=None) -> str:
    """The upper bound of the next batch for a key that cannot be counted: the ``size``-th key
    after ``lo`` (or the last one left), one row of the key's columns, found through the index.
    No row: nothing is left after ``lo``."""
    cols = _cols(bf, dialect)
    inner = ", ".join(f"{c} AS k{i}" for i, c in enumerate(cols))
    ks = [f"k{i}" for i in range(len(cols))]
    where = key_range(bf, lo, None, dialect, include_lo=include_lo, upto=upto)
    return (f"SELECT {', '.join(ks)} FROM (SELECT {inner} FROM {quote_ident(bf.table, dialect)} "
            f"WHERE {where} ORDER BY {', '.join(cols)} LIMIT {size}) batch "
            f"ORDER BY {', '.join(k + ' DESC' for k in ks)} LIMIT 1")


def edge_key_sql(bf, last: bool = False, dialect: str = "postgres") -> str:
    """The smallest (or largest) key now, through the key's index."""
    cols = _cols(bf, dialect)
    order = ", ".join(c + (" DESC" if last else "") for c in cols)
    return f"SELECT {', '.join(cols)} FROM {quote_ident(bf.table, dialect)} ORDER BY {order} LIMIT 1"


def key_range_sql(bf, dialect: str = "postgres") -> str:
    """Smallest and largest value of a counted (integer) key now. Rows inserted later get the
    value from the column default or the sync trigger, so the walk stops at today's largest."""
    key = quote_ident(bf.key[0], dialect)
    return f"SELECT min({key}), max({key}) FROM {quote_ident(bf.table, dialect)}"


def sample_keys_sql(bf, percent: float, after=None) -> str:
    """Keys (after ``after``) of a sample of the table's pages, in key order (PostgreSQL):
    where to split the key space between parallel workers without reading the whole table."""
    cols = _cols(bf, "postgres")
    pct = min(100.0, max(0.0001, float(percent)))
    return (f"SELECT {', '.join(cols)} FROM {quote_ident(bf.table)} TABLESAMPLE SYSTEM ({pct:g}) "
            f"WHERE {key_range(bf, after, None)} ORDER BY {', '.join(cols)}")


# ----------------------------------------------------------------------------- what sessions see
# Sessions waiting on a lock that this session holds: asked after a batch's UPDATE and before
# its COMMIT, while the batch still holds its row locks (pg_blocking_pids only runs for the few
# sessions that wait at all).
BLOCKED_SQL = ("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
               "AND pg_backend_pid() = ANY(pg_blocking_pids(pid))")
# The slowest replica's replay lag in seconds (0 without replicas, or without the privilege
# to see it).
REPLICA_LAG_SQL = ("SELECT coalesce(max(extract(epoch FROM replay_lag)), 0) "
                   "FROM pg_stat_replication")


MAX_LAG_S = 10  # replicas further behind than this pause the walk until they catch up


def variables(bf, prefix: str) -> list[str]:
    """Names of the variables that hold one key (``lo_1, lo_2`` ...) in generated code."""
    return [f"{prefix}_{i + 1}" for i in range(len(bf.key))]


def key_text_sql(bf, values: Sequence[str]) -> str:
    """``key_text`` in SQL (PostgreSQL), for progress messages and the resume hint."""
    if len(values) == 1:
        return f"{values[0]}::text"
    return f"jsonb_build_array({', '.join(values)})::text"


# ----------------------------------------------------------------------------- arithmetic
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


def split_integer(after: int, max_key: int, parts: int) -> list[tuple[int, int]]:
    """``parts`` disjoint (lo, hi] ranges covering (after, max_key], as even as integers go."""
    span = max_key - after
    parts = max(1, min(parts, span)) if span > 0 else 1
    edges = [after + span * i // parts for i in range(parts + 1)]
    return [(a, b) for a, b in zip(edges, edges[1:]) if b > a] or [(after, max_key)]


def progress_sql(bf, dialect: str = "postgres") -> str:
    """rows_done / rows_total for the whole table (one scan; run it now and then, not in a loop).

    A row is done when it no longer matches the backfill, so rows outside ``where`` count as
    done from the start."""
    return (f"SELECT sum(CASE WHEN {pending_condition(bf, dialect)} THEN 0 ELSE 1 END) AS rows_done,\n"
            f"       count(*) AS rows_total\n"
            f"FROM {quote_ident(bf.table, dialect)}")


def key_text(bf, key) -> str:
    """A key as ``migsmith.resume_after`` and ``--resume-from`` take it: the value itself for
    one column, a JSON array for a composite key."""
    import json

    if len(bf.key) == 1:
        return str(key[0] if isinstance(key, (list, tuple)) else key)
    return json.dumps([v if isinstance(v, (int, float)) else str(v) for v in key])


def parse_key(bf, text: str):
    """The inverse of ``key_text`` (integers of a counted key become int)."""
    import json

    if len(bf.key) == 1:
        if isinstance(text, (list, tuple)):
            text = text[0]
        return int(text) if bf.key_is_integer else str(text)
    values = json.loads(text) if isinstance(text, str) else list(text)
    if not isinstance(values, list) or len(values) != len(bf.key):
        raise SpecError(f"a key of {bf.table} has {len(bf.key)} columns ({', '.join(bf.key)}): "
                        f"give it as a JSON array, e.g. [1, \"a\"]; got {text!r}")
    return values


def resume_hint(bf, last_key) -> str:
    """How to continue the generated DO block after ``last_key`` (PostgreSQL)."""
    return f"SET migsmith.resume_after = '{key_text(bf, last_key).replace(chr(39), chr(39) * 2)}';"
